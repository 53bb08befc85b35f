import { Column, Entity, Generated, JoinColumn, ManyToOne, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `space`. */
export function defineSpace(k: EntityKit): Function {
  @Entity('space')
  class Space extends k.Base {
    @Column('varchar', { length: 36 })
    nameID!: string;

    @Generated('increment')
    @Column('int', { unique: true })
    rowId!: number;

    @Column('json')
    settings!: unknown;

    @Column('json')
    platformRolesAccess!: unknown;

    @Column({ ...k.types.uuid, nullable: true })
    levelZeroSpaceID?: string;

    @Column('int')
    level!: number;

    @Column('varchar', { length: 128 })
    visibility!: string;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    /** Self-reference: levels 1 and 2 point at their parent. */
    @ManyToOne(() => k.entity('space'), { onDelete: 'NO ACTION' })
    @JoinColumn({ name: 'parentSpaceId' })
    parentSpace?: unknown;

    @ManyToOne(() => k.entity('account'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'accountId' })
    account?: unknown;

    @OneToOne(() => k.entity('collaboration'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'collaborationId' })
    collaboration?: unknown;

    @OneToOne(() => k.entity('space_about'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'aboutId' })
    about?: unknown;

    @OneToOne(() => k.entity('community'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'communityId' })
    community?: unknown;

    @OneToOne(() => k.entity('agent'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'agentId' })
    agent?: unknown;

    @OneToOne(() => k.entity('storage_aggregator'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'storageAggregatorId' })
    storageAggregator?: unknown;

    @OneToOne(() => k.entity('templates_manager'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'templatesManagerId' })
    templatesManager?: unknown;

    @OneToOne(() => k.entity('license'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'licenseId' })
    license?: unknown;
  }
  return Space;
}
