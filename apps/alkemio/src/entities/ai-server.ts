import { Entity, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `ai_server`. */
export function defineAiServer(k: EntityKit): Function {
  @Entity('ai_server')
  class AiServer extends k.Base {
    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;
  }
  return AiServer;
}
