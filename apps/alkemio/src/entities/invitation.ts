import { Column, Entity, JoinColumn, ManyToOne, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `invitation`. */
export function defineInvitation(k: EntityKit): Function {
  @Entity('invitation')
  class Invitation extends k.Base {
    @Column({ ...k.types.uuid })
    invitedContributorID!: string;

    @Column({ ...k.types.uuid })
    createdBy!: string;

    @Column('varchar', { length: 8192, nullable: true })
    welcomeMessage?: string;

    @Column('boolean', { default: false })
    invitedToParent!: boolean;

    @Column('varchar', { length: 128 })
    contributorType!: string;

    @Column('simple-array')
    extraRoles!: string[];

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('lifecycle'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'lifecycleId' })
    lifecycle?: unknown;

    @ManyToOne(() => k.entity('role_set'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'roleSetId' })
    roleSet?: unknown;
  }
  return Invitation;
}
