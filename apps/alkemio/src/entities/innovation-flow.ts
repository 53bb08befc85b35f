import { Column, Entity, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `innovation_flow`. */
export function defineInnovationFlow(k: EntityKit): Function {
  @Entity('innovation_flow')
  class InnovationFlow extends k.Base {
    @Column({ ...k.types.uuid, nullable: true })
    currentStateID?: string;

    @Column('json')
    settings!: unknown;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('profile'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'profileId' })
    profile?: unknown;

    @OneToOne(() => k.entity('tagset_template'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'flowStatesTagsetTemplateId' })
    flowStatesTagsetTemplate?: unknown;
  }
  return InnovationFlow;
}
