import { Column, Entity, Generated, JoinColumn, ManyToOne, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `virtual_contributor`. */
export function defineVirtualContributor(k: EntityKit): Function {
  @Entity('virtual_contributor')
  class VirtualContributor extends k.Base {
    @Column('varchar', { length: 36, unique: true })
    nameID!: string;

    @Column('varchar')
    communicationID!: string;

    @Generated('increment')
    @Column('int', { unique: true })
    rowId!: number;

    @Column('json')
    settings!: unknown;

    @Column('json', { nullable: true })
    platformSettings?: unknown;

    @Column({ ...k.types.uuid })
    aiPersonaID!: string;

    @Column('varchar', { length: 128, nullable: true })
    bodyOfKnowledgeID?: string;

    @Column('json', { nullable: true })
    promptGraphDefinition?: unknown;

    @Column('boolean')
    listedInStore!: boolean;

    @Column('varchar', { length: 128 })
    searchVisibility!: string;

    @Column('varchar', { length: 128 })
    dataAccessMode!: string;

    @Column('simple-array')
    interactionModes!: string[];

    @Column('varchar', { length: 128 })
    bodyOfKnowledgeType!: string;

    @Column('text', { nullable: true })
    bodyOfKnowledgeDescription?: string;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('profile'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'profileId' })
    profile?: unknown;

    @OneToOne(() => k.entity('agent'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'agentId' })
    agent?: unknown;

    @ManyToOne(() => k.entity('account'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'accountId' })
    account?: unknown;

    @OneToOne(() => k.entity('knowledge_base'), { onDelete: 'NO ACTION' })
    @JoinColumn({ name: 'knowledgeBaseId' })
    knowledgeBase?: unknown;
  }
  return VirtualContributor;
}
