import { Column, Entity, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `post`. */
export function definePost(k: EntityKit): Function {
  @Entity('post')
  class Post extends k.Base {
    @Column('varchar', { length: 36 })
    nameID!: string;

    @Column({ ...k.types.uuid })
    createdBy!: string;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('profile'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'profileId' })
    profile?: unknown;

    @OneToOne(() => k.entity('room'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'commentsId' })
    comments?: unknown;
  }
  return Post;
}
