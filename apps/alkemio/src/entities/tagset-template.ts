import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `tagset_template`. */
export function defineTagsetTemplate(k: EntityKit): Function {
  @Entity('tagset_template')
  class TagsetTemplate extends k.Base {
    @Column('varchar', { length: 128 })
    name!: string;

    @Column('varchar', { length: 128 })
    type!: string;

    @Column('simple-array')
    allowedValues!: string[];

    @Column('varchar', { nullable: true })
    defaultSelectedValue?: string;

    @ManyToOne(() => k.entity('tagset_template_set'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'tagsetTemplateSetId' })
    tagsetTemplateSet?: unknown;
  }
  return TagsetTemplate;
}
