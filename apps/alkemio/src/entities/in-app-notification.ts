import { Column, Entity, Generated, JoinColumn, ManyToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `in_app_notification`. */
export function defineInAppNotification(k: EntityKit): Function {
  @Entity('in_app_notification')
  class InAppNotification extends k.Base {
    @Generated('increment')
    @Column('int', { unique: true })
    rowId!: number;

    @Column('varchar', { length: 128 })
    type!: string;

    @Column('varchar', { length: 128 })
    state!: string;

    @Column('varchar', { length: 128 })
    category!: string;

    @Column({ ...k.types.dateTime })
    triggeredAt!: Date;

    @Column({ ...k.types.uuid, nullable: true })
    triggeredByID?: string;

    @ManyToOne(() => k.entity('user'), { onDelete: 'CASCADE', nullable: false })
    @JoinColumn({ name: 'receiverID' })
    receiver?: unknown;

    @Column('json')
    payload!: unknown;

    @ManyToOne(() => k.entity('space'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'spaceID' })
    space?: unknown;

    @ManyToOne(() => k.entity('organization'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'organizationID' })
    organization?: unknown;

    @ManyToOne(() => k.entity('user'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'userID' })
    user?: unknown;

    @ManyToOne(() => k.entity('application'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'applicationID' })
    application?: unknown;

    @ManyToOne(() => k.entity('invitation'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'invitationID' })
    invitation?: unknown;

    @ManyToOne(() => k.entity('callout'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'calloutID' })
    callout?: unknown;

    @ManyToOne(() => k.entity('callout_contribution'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'contributionID' })
    contribution?: unknown;

    @ManyToOne(() => k.entity('room'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'roomID' })
    room?: unknown;

    @Column({ ...k.types.messageId, nullable: true })
    messageID?: string;

    @ManyToOne(() => k.entity('organization'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'contributorOrganizationID' })
    contributorOrganization?: unknown;

    @ManyToOne(() => k.entity('user'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'contributorUserID' })
    contributorUser?: unknown;

    @ManyToOne(() => k.entity('virtual_contributor'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'contributorVcID' })
    contributorVc?: unknown;

    @ManyToOne(() => k.entity('calendar_event'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'calendarEventID' })
    calendarEvent?: unknown;
  }
  return InAppNotification;
}
