import { Column, Entity, JoinColumn, ManyToOne, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `document`. */
export function defineDocument(k: EntityKit): Function {
  @Entity('document')
  class Document extends k.Base {
    @Column({ ...k.types.uuid, nullable: true })
    createdBy?: string;

    @Column('varchar', { length: 512 })
    displayName!: string;

    @Column('varchar', { length: 128 })
    mimeType!: string;

    @Column('int')
    size!: number;

    @Column('varchar', { length: 128 })
    externalID!: string;

    @Column('boolean', { default: false })
    temporaryLocation!: boolean;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @ManyToOne(() => k.entity('storage_bucket'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'storageBucketId' })
    storageBucket?: unknown;

    @OneToOne(() => k.entity('tagset'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'tagsetId' })
    tagset?: unknown;
  }
  return Document;
}
