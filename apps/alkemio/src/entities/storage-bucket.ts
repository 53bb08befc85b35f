import { Column, Entity, JoinColumn, ManyToOne, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `storage_bucket`. */
export function defineStorageBucket(k: EntityKit): Function {
  @Entity('storage_bucket')
  class StorageBucket extends k.Base {
    @Column('simple-array')
    allowedMimeTypes!: string[];

    @Column('int')
    maxFileSize!: number;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    /** Other half of the storage_aggregator <-> storage_bucket cycle. */
    @ManyToOne(() => k.entity('storage_aggregator'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'storageAggregatorId' })
    storageAggregator?: unknown;
  }
  return StorageBucket;
}
