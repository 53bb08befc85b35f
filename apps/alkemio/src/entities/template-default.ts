import { Column, Entity, JoinColumn, ManyToOne, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `template_default`. */
export function defineTemplateDefault(k: EntityKit): Function {
  @Entity('template_default')
  class TemplateDefault extends k.Base {
    @Column('varchar', { length: 128 })
    type!: string;

    @Column('varchar', { length: 128 })
    allowedTemplateType!: string;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @ManyToOne(() => k.entity('templates_manager'), { onDelete: 'NO ACTION' })
    @JoinColumn({ name: 'templatesManagerId' })
    templatesManager?: unknown;

    @OneToOne(() => k.entity('template'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'templateId' })
    template?: unknown;
  }
  return TemplateDefault;
}
