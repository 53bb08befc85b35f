import { Column, Entity, JoinColumn, ManyToOne, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `callout`. */
export function defineCallout(k: EntityKit): Function {
  @Entity('callout')
  class Callout extends k.Base {
    @Column('varchar', { length: 36 })
    nameID!: string;

    @Column('boolean', { default: false })
    isTemplate!: boolean;

    @Column({ ...k.types.uuid, nullable: true })
    createdBy?: string;

    @Column('json')
    settings!: unknown;

    @Column('int')
    sortOrder!: number;

    @Column({ ...k.types.uuid, nullable: true })
    publishedBy?: string;

    @Column({ ...k.types.dateTime, nullable: true })
    publishedDate?: Date;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('callout_framing'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'framingId' })
    framing?: unknown;

    @OneToOne(() => k.entity('classification'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'classificationId' })
    classification?: unknown;

    @OneToOne(() => k.entity('callout_contribution_defaults'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'contributionDefaultsId' })
    contributionDefaults?: unknown;

    @OneToOne(() => k.entity('room'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'commentsId' })
    comments?: unknown;

    @ManyToOne(() => k.entity('callouts_set'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'calloutsSetId' })
    calloutsSet?: unknown;
  }
  return Callout;
}
