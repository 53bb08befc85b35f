import { Entity, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `templates_set`. */
export function defineTemplatesSet(k: EntityKit): Function {
  @Entity('templates_set')
  class TemplatesSet extends k.Base {
    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;
  }
  return TemplatesSet;
}
