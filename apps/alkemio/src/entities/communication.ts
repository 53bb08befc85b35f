import { Column, Entity, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `communication`. */
export function defineCommunication(k: EntityKit): Function {
  @Entity('communication')
  class Communication extends k.Base {
    @Column('varchar', { length: 36 })
    spaceID!: string;

    @Column('varchar')
    displayName!: string;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('room'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'updatesId' })
    updates?: unknown;
  }
  return Communication;
}
