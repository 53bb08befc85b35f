import { Column, Entity, JoinColumn, ManyToOne, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `tagset`. */
export function defineTagset(k: EntityKit): Function {
  @Entity('tagset')
  class Tagset extends k.Base {
    @Column('varchar', { default: 'default' })
    name!: string;

    @Column('varchar', { length: 128 })
    type!: string;

    @Column('simple-array')
    tags!: string[];

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @ManyToOne(() => k.entity('profile'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'profileId' })
    profile?: unknown;

    @ManyToOne(() => k.entity('classification'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'classificationId' })
    classification?: unknown;

    @ManyToOne(() => k.entity('tagset_template'), { onDelete: 'NO ACTION' })
    @JoinColumn({ name: 'tagsetTemplateId' })
    tagsetTemplate?: unknown;
  }
  return Tagset;
}
