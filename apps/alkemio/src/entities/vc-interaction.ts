import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `vc_interaction`. */
export function defineVcInteraction(k: EntityKit): Function {
  @Entity('vc_interaction')
  class VcInteraction extends k.Base {
    @Column('varchar', { length: 44 })
    threadID!: string;

    @Column({ ...k.types.uuid })
    virtualContributorID!: string;

    @Column('simple-json')
    externalMetadata!: unknown;

    @ManyToOne(() => k.entity('room'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'roomId' })
    room?: unknown;
  }
  return VcInteraction;
}
