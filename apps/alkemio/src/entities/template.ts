import { Column, Entity, JoinColumn, ManyToOne, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `template`. */
export function defineTemplate(k: EntityKit): Function {
  @Entity('template')
  class Template extends k.Base {
    @Column('varchar', { length: 36 })
    nameID!: string;

    @Column('varchar', { length: 128 })
    type!: string;

    @Column('text', { nullable: true })
    postDefaultDescription?: string;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('profile'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'profileId' })
    profile?: unknown;

    @ManyToOne(() => k.entity('templates_set'), { onDelete: 'NO ACTION' })
    @JoinColumn({ name: 'templatesSetId' })
    templatesSet?: unknown;

    @OneToOne(() => k.entity('community_guidelines'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'communityGuidelinesId' })
    communityGuidelines?: unknown;

    @OneToOne(() => k.entity('callout'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'calloutId' })
    callout?: unknown;

    @OneToOne(() => k.entity('whiteboard'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'whiteboardId' })
    whiteboard?: unknown;

    @OneToOne(() => k.entity('template_content_space'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'contentSpaceId' })
    contentSpace?: unknown;
  }
  return Template;
}
