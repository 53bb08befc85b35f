import { Column, Entity, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `platform`. */
export function definePlatform(k: EntityKit): Function {
  @Entity('platform')
  class Platform extends k.Base {
    @Column('json')
    settings!: unknown;

    @Column('json')
    wellKnownVirtualContributors!: unknown;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('forum'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'forumId' })
    forum?: unknown;

    @OneToOne(() => k.entity('library'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'libraryId' })
    library?: unknown;

    @OneToOne(() => k.entity('templates_manager'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'templatesManagerId' })
    templatesManager?: unknown;

    @OneToOne(() => k.entity('storage_aggregator'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'storageAggregatorId' })
    storageAggregator?: unknown;

    @OneToOne(() => k.entity('licensing_framework'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'licensingFrameworkId' })
    licensingFramework?: unknown;

    @OneToOne(() => k.entity('role_set'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'roleSetId' })
    roleSet?: unknown;
  }
  return Platform;
}
