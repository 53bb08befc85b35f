import { Column, Entity, Generated, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `organization`. */
export function defineOrganization(k: EntityKit): Function {
  @Entity('organization')
  class Organization extends k.Base {
    @Column('varchar', { length: 36, unique: true })
    nameID!: string;

    @Column('varchar')
    communicationID!: string;

    @Column({ ...k.types.uuid })
    accountID!: string;

    @Column('json')
    settings!: unknown;

    @Generated('increment')
    @Column('int', { unique: true })
    rowId!: number;

    @Column('varchar')
    legalEntityName!: string;

    @Column('varchar')
    domain!: string;

    @Column('varchar')
    website!: string;

    @Column('varchar')
    contactEmail!: string;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('profile'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'profileId' })
    profile?: unknown;

    @OneToOne(() => k.entity('agent'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'agentId' })
    agent?: unknown;

    @OneToOne(() => k.entity('organization_verification'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'verificationId' })
    verification?: unknown;

    @OneToOne(() => k.entity('storage_aggregator'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'storageAggregatorId' })
    storageAggregator?: unknown;

    @OneToOne(() => k.entity('role_set'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'roleSetId' })
    roleSet?: unknown;
  }
  return Organization;
}
