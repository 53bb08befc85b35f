import { Column, Entity, JoinColumn, ManyToOne, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `storage_aggregator`. */
export function defineStorageAggregator(k: EntityKit): Function {
  @Entity('storage_aggregator')
  class StorageAggregator extends k.Base {
    @Column('varchar', { length: 128, nullable: true })
    type?: string;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    /** Self-reference. */
    @ManyToOne(() => k.entity('storage_aggregator'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'parentStorageAggregatorId' })
    parentStorageAggregator?: unknown;

    /** Half of the storage_aggregator <-> storage_bucket cycle. */
    @OneToOne(() => k.entity('storage_bucket'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'directStorageId' })
    directStorage?: unknown;
  }
  return StorageAggregator;
}
