import { Column, Entity, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `whiteboard`. */
export function defineWhiteboard(k: EntityKit): Function {
  @Entity('whiteboard')
  class Whiteboard extends k.Base {
    @Column('varchar', { length: 36 })
    nameID!: string;

    /** Zlib-compressed bytes kept as a latin1 "binary string" (one code point per byte). */
    @Column({ ...k.types.longText })
    content!: string;

    @Column({ ...k.types.uuid, nullable: true })
    createdBy?: string;

    @Column('varchar', { length: 128 })
    contentUpdatePolicy!: string;

    @Column('json')
    previewSettings!: unknown;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('profile'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'profileId' })
    profile?: unknown;
  }
  return Whiteboard;
}
