import { Column, Entity, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `space_about`. */
export function defineSpaceAbout(k: EntityKit): Function {
  @Entity('space_about')
  class SpaceAbout extends k.Base {
    @Column('text', { nullable: true })
    why?: string;

    @Column('text', { nullable: true })
    who?: string;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('profile'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'profileId' })
    profile?: unknown;

    @OneToOne(() => k.entity('community_guidelines'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'guidelinesId' })
    guidelines?: unknown;
  }
  return SpaceAbout;
}
