import { Column, Entity, JoinColumn, ManyToOne, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `innovation_flow_state`. */
export function defineInnovationFlowState(k: EntityKit): Function {
  @Entity('innovation_flow_state')
  class InnovationFlowState extends k.Base {
    @Column('text')
    displayName!: string;

    @Column('text', { nullable: true })
    description?: string;

    @Column('json')
    settings!: unknown;

    @Column('int')
    sortOrder!: number;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @ManyToOne(() => k.entity('innovation_flow'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'innovationFlowId' })
    innovationFlow?: unknown;
  }
  return InnovationFlowState;
}
