import { Column, Entity, JoinColumn, ManyToOne, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `ai_persona`. */
export function defineAiPersona(k: EntityKit): Function {
  @Entity('ai_persona')
  class AiPersona extends k.Base {
    @Column('varchar', { length: 128 })
    engine!: string;

    @Column('simple-json')
    prompt!: unknown;

    @Column('simple-json', { nullable: true })
    externalConfig?: unknown;

    @Column({ ...k.types.dateTime, nullable: true })
    bodyOfKnowledgeLastUpdated?: Date;

    @Column('json', { nullable: true })
    promptGraph?: unknown;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @ManyToOne(() => k.entity('ai_server'), { onDelete: 'NO ACTION' })
    @JoinColumn({ name: 'aiServerId' })
    aiServer?: unknown;
  }
  return AiPersona;
}
