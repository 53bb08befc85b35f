import { Column, Entity, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `agent`. */
export function defineAgent(k: EntityKit): Function {
  @Entity('agent')
  class Agent extends k.Base {
    @Column('varchar', { length: 128, nullable: true })
    type?: string;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;
  }
  return Agent;
}
