import { Column, Entity, JoinColumn, ManyToOne, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `reference`. */
export function defineReference(k: EntityKit): Function {
  @Entity('reference')
  class Reference extends k.Base {
    @Column('varchar')
    name!: string;

    @Column('text')
    uri!: string;

    @Column('text', { nullable: true })
    description?: string;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @ManyToOne(() => k.entity('profile'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'profileId' })
    profile?: unknown;
  }
  return Reference;
}
