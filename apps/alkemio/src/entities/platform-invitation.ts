import { Column, Entity, JoinColumn, ManyToOne, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `platform_invitation`. */
export function definePlatformInvitation(k: EntityKit): Function {
  @Entity('platform_invitation')
  class PlatformInvitation extends k.Base {
    @Column('boolean', { default: false })
    roleSetInvitedToParent!: boolean;

    @Column('simple-array')
    roleSetExtraRoles!: string[];

    @Column('varchar', { length: 128 })
    email!: string;

    @Column('varchar', { length: 128, nullable: true })
    firstName?: string;

    @Column('varchar', { length: 128, nullable: true })
    lastName?: string;

    @Column({ ...k.types.uuid })
    createdBy!: string;

    @Column('varchar', { length: 8192, nullable: true })
    welcomeMessage?: string;

    @Column('boolean', { default: false })
    profileCreated!: boolean;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @ManyToOne(() => k.entity('role_set'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'roleSetId' })
    roleSet?: unknown;
  }
  return PlatformInvitation;
}
