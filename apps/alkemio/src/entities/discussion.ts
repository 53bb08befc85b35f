import { Column, Entity, JoinColumn, ManyToOne, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `discussion`. */
export function defineDiscussion(k: EntityKit): Function {
  @Entity('discussion')
  class Discussion extends k.Base {
    @Column('varchar', { length: 36 })
    nameID!: string;

    @Column('text')
    category!: string;

    @Column({ ...k.types.uuid })
    createdBy!: string;

    @Column('varchar', { default: 'authenticated' })
    privacy!: string;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('profile'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'profileId' })
    profile?: unknown;

    @OneToOne(() => k.entity('room'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'commentsId' })
    comments?: unknown;

    @ManyToOne(() => k.entity('forum'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'forumId' })
    forum?: unknown;
  }
  return Discussion;
}
