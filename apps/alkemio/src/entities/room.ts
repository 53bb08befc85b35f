import { Column, Entity, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `room`. */
export function defineRoom(k: EntityKit): Function {
  @Entity('room')
  class Room extends k.Base {
    @Column('varchar')
    externalRoomID!: string;

    @Column('int')
    messagesCount!: number;

    @Column('varchar', { length: 128 })
    type!: string;

    @Column('varchar')
    displayName!: string;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;
  }
  return Room;
}
