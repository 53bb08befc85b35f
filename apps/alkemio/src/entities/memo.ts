import { Column, Entity, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `memo`. */
export function defineMemo(k: EntityKit): Function {
  @Entity('memo')
  class Memo extends k.Base {
    @Column('varchar', { length: 36 })
    nameID!: string;

    /** Binary collaborative-editing state. */
    @Column({ ...k.types.blob, nullable: true })
    content?: Buffer;

    @Column({ ...k.types.uuid, nullable: true })
    createdBy?: string;

    @Column('varchar', { length: 128 })
    contentUpdatePolicy!: string;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('profile'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'profileId' })
    profile?: unknown;
  }
  return Memo;
}
