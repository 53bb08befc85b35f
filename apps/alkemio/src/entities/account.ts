import { Column, Entity, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `account`. */
export function defineAccount(k: EntityKit): Function {
  @Entity('account')
  class Account extends k.Base {
    @Column('varchar', { length: 128, nullable: true })
    type?: string;

    @Column('varchar', { length: 128, nullable: true })
    externalSubscriptionID?: string;

    @Column('json')
    baselineLicensePlan!: unknown;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('agent'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'agentId' })
    agent?: unknown;

    @OneToOne(() => k.entity('license'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'licenseId' })
    license?: unknown;

    @OneToOne(() => k.entity('storage_aggregator'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'storageAggregatorId' })
    storageAggregator?: unknown;
  }
  return Account;
}
