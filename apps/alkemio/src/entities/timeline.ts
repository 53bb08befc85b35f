import { Entity, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `timeline`. */
export function defineTimeline(k: EntityKit): Function {
  @Entity('timeline')
  class Timeline extends k.Base {
    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('calendar'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'calendarId' })
    calendar?: unknown;
  }
  return Timeline;
}
