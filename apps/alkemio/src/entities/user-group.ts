import { Entity, JoinColumn, ManyToOne, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `user_group`. */
export function defineUserGroup(k: EntityKit): Function {
  @Entity('user_group')
  class UserGroup extends k.Base {
    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('profile'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'profileId' })
    profile?: unknown;

    @ManyToOne(() => k.entity('organization'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'organizationId' })
    organization?: unknown;

    @ManyToOne(() => k.entity('community'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'communityId' })
    community?: unknown;
  }
  return UserGroup;
}
