import { Entity, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `knowledge_base`. */
export function defineKnowledgeBase(k: EntityKit): Function {
  @Entity('knowledge_base')
  class KnowledgeBase extends k.Base {
    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('profile'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'profileId' })
    profile?: unknown;

    @OneToOne(() => k.entity('callouts_set'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'calloutsSetId' })
    calloutsSet?: unknown;
  }
  return KnowledgeBase;
}
