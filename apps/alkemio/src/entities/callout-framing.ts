import { Column, Entity, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `callout_framing`. */
export function defineCalloutFraming(k: EntityKit): Function {
  @Entity('callout_framing')
  class CalloutFraming extends k.Base {
    @Column('varchar', { length: 128, default: 'none' })
    type!: string;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('profile'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'profileId' })
    profile?: unknown;

    @OneToOne(() => k.entity('whiteboard'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'whiteboardId' })
    whiteboard?: unknown;

    @OneToOne(() => k.entity('link'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'linkId' })
    link?: unknown;

    @OneToOne(() => k.entity('memo'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'memoId' })
    memo?: unknown;
  }
  return CalloutFraming;
}
