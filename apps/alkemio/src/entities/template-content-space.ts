import { Column, Entity, Generated, JoinColumn, ManyToOne, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `template_content_space`. */
export function defineTemplateContentSpace(k: EntityKit): Function {
  @Entity('template_content_space')
  class TemplateContentSpace extends k.Base {
    @Generated('increment')
    @Column('int', { unique: true })
    rowId!: number;

    @Column('json')
    settings!: unknown;

    @Column('int')
    level!: number;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    /** Self-reference. */
    @ManyToOne(() => k.entity('template_content_space'), { onDelete: 'NO ACTION' })
    @JoinColumn({ name: 'parentSpaceId' })
    parentSpace?: unknown;

    @OneToOne(() => k.entity('collaboration'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'collaborationId' })
    collaboration?: unknown;

    @OneToOne(() => k.entity('space_about'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'aboutId' })
    about?: unknown;
  }
  return TemplateContentSpace;
}
