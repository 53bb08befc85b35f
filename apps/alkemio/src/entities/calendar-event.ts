import { Column, Entity, JoinColumn, ManyToOne, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `calendar_event`. */
export function defineCalendarEvent(k: EntityKit): Function {
  @Entity('calendar_event')
  class CalendarEvent extends k.Base {
    @Column('varchar', { length: 36 })
    nameID!: string;

    @Column('varchar', { length: 128 })
    type!: string;

    @Column({ ...k.types.uuid })
    createdBy!: string;

    @Column({ ...k.types.dateTime })
    startDate!: Date;

    @Column('boolean')
    wholeDay!: boolean;

    @Column('boolean')
    multipleDays!: boolean;

    @Column('int')
    durationMinutes!: number;

    @Column('int', { nullable: true })
    durationDays?: number;

    @Column('boolean')
    visibleOnParentCalendar!: boolean;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('profile'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'profileId' })
    profile?: unknown;

    @OneToOne(() => k.entity('room'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'commentsId' })
    comments?: unknown;

    @ManyToOne(() => k.entity('calendar'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'calendarId' })
    calendar?: unknown;
  }
  return CalendarEvent;
}
