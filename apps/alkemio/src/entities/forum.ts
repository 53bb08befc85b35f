import { Column, Entity, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `forum`. */
export function defineForum(k: EntityKit): Function {
  @Entity('forum')
  class Forum extends k.Base {
    @Column('simple-array')
    discussionCategories!: string[];

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;
  }
  return Forum;
}
