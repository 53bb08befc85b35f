import { Entity, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `templates_manager`. */
export function defineTemplatesManager(k: EntityKit): Function {
  @Entity('templates_manager')
  class TemplatesManager extends k.Base {
    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('templates_set'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'templatesSetId' })
    templatesSet?: unknown;
  }
  return TemplatesManager;
}
