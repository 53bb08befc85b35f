import { Column, Entity, Generated, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `user`. */
export function defineUser(k: EntityKit): Function {
  @Entity('user')
  class User extends k.Base {
    @Column('varchar', { length: 36, unique: true })
    nameID!: string;

    @Column('varchar')
    communicationID!: string;

    @Column({ ...k.types.uuid })
    accountID!: string;

    @Generated('increment')
    @Column('int', { unique: true })
    rowId!: number;

    @Column('varchar', { length: 128, unique: true })
    accountUpn!: string;

    @Column('varchar', { length: 128 })
    firstName!: string;

    @Column('varchar', { length: 128 })
    lastName!: string;

    @Column('varchar', { length: 512, unique: true })
    email!: string;

    @Column('varchar', { length: 128, nullable: true })
    phone?: string;

    @Column('boolean')
    serviceProfile!: boolean;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('profile'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'profileId' })
    profile?: unknown;

    @OneToOne(() => k.entity('agent'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'agentId' })
    agent?: unknown;

    @OneToOne(() => k.entity('user_settings'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'settingsId' })
    settings?: unknown;

    @OneToOne(() => k.entity('storage_aggregator'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'storageAggregatorId' })
    storageAggregator?: unknown;

    @OneToOne(() => k.entity('conversations_set'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'conversationsSetId' })
    conversationsSet?: unknown;
  }
  return User;
}
