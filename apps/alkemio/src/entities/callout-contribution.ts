import { Column, Entity, JoinColumn, ManyToOne, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `callout_contribution`. */
export function defineCalloutContribution(k: EntityKit): Function {
  @Entity('callout_contribution')
  class CalloutContribution extends k.Base {
    @Column({ ...k.types.uuid, nullable: true })
    createdBy?: string;

    @Column('varchar', { length: 128, default: 'post' })
    type!: string;

    @Column('int')
    sortOrder!: number;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('whiteboard'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'whiteboardId' })
    whiteboard?: unknown;

    @OneToOne(() => k.entity('memo'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'memoId' })
    memo?: unknown;

    @OneToOne(() => k.entity('post'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'postId' })
    post?: unknown;

    @OneToOne(() => k.entity('link'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'linkId' })
    link?: unknown;

    @ManyToOne(() => k.entity('callout'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'calloutId' })
    callout?: unknown;
  }
  return CalloutContribution;
}
