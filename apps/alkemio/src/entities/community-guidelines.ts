import { Entity, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `community_guidelines`. */
export function defineCommunityGuidelines(k: EntityKit): Function {
  @Entity('community_guidelines')
  class CommunityGuidelines extends k.Base {
    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('profile'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'profileId' })
    profile?: unknown;
  }
  return CommunityGuidelines;
}
