import { Column, Entity, JoinColumn, ManyToOne, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `visual`. */
export function defineVisual(k: EntityKit): Function {
  @Entity('visual')
  class Visual extends k.Base {
    @Column('varchar')
    name!: string;

    @Column('varchar', { length: 2048 })
    uri!: string;

    @Column('int')
    minWidth!: number;

    @Column('int')
    maxWidth!: number;

    @Column('int')
    minHeight!: number;

    @Column('int')
    maxHeight!: number;

    @Column('decimal', { precision: 3, scale: 1 })
    aspectRatio!: string;

    @Column('simple-array')
    allowedTypes!: string[];

    @Column('varchar', { length: 120, nullable: true })
    alternativeText?: string;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @ManyToOne(() => k.entity('profile'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'profileId' })
    profile?: unknown;
  }
  return Visual;
}
