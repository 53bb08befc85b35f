import { Column, Entity, JoinColumn, ManyToOne, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `conversation`. */
export function defineConversation(k: EntityKit): Function {
  @Entity('conversation')
  class Conversation extends k.Base {
    @Column('varchar', { length: 128 })
    type!: string;

    @Column({ ...k.types.uuid, nullable: true })
    userID?: string;

    @Column({ ...k.types.uuid, nullable: true })
    virtualContributorID?: string;

    @Column('varchar', { length: 128, nullable: true })
    wellKnownVirtualContributor?: string;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @ManyToOne(() => k.entity('conversations_set'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'conversationsSetId' })
    conversationsSet?: unknown;

    @OneToOne(() => k.entity('room'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'roomId' })
    room?: unknown;
  }
  return Conversation;
}
