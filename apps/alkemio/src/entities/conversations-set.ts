import { Entity, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `conversations_set`. */
export function defineConversationsSet(k: EntityKit): Function {
  @Entity('conversations_set')
  class ConversationsSet extends k.Base {
    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;
  }
  return ConversationsSet;
}
