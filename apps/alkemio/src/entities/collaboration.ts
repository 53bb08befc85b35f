import { Column, Entity, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `collaboration`. */
export function defineCollaboration(k: EntityKit): Function {
  @Entity('collaboration')
  class Collaboration extends k.Base {
    @Column('boolean', { default: false })
    isTemplate!: boolean;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('callouts_set'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'calloutsSetId' })
    calloutsSet?: unknown;

    @OneToOne(() => k.entity('timeline'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'timelineId' })
    timeline?: unknown;

    @OneToOne(() => k.entity('innovation_flow'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'innovationFlowId' })
    innovationFlow?: unknown;

    @OneToOne(() => k.entity('license'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'licenseId' })
    license?: unknown;
  }
  return Collaboration;
}
