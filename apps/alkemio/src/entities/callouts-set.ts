import { Column, Entity, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `callouts_set`. */
export function defineCalloutsSet(k: EntityKit): Function {
  @Entity('callouts_set')
  class CalloutsSet extends k.Base {
    @Column('varchar', { length: 128 })
    type!: string;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('tagset_template_set'), { onDelete: 'NO ACTION' })
    @JoinColumn({ name: 'tagsetTemplateSetId' })
    tagsetTemplateSet?: unknown;
  }
  return CalloutsSet;
}
