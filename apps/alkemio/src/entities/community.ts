import { Column, Entity, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `community`. */
export function defineCommunity(k: EntityKit): Function {
  @Entity('community')
  class Community extends k.Base {
    @Column('varchar', { length: 36 })
    parentID!: string;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('communication'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'communicationId' })
    communication?: unknown;

    @OneToOne(() => k.entity('role_set'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'roleSetId' })
    roleSet?: unknown;
  }
  return Community;
}
