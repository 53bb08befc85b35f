import { Column, Entity, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `license`. */
export function defineLicense(k: EntityKit): Function {
  @Entity('license')
  class License extends k.Base {
    @Column('varchar', { length: 128 })
    type!: string;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;
  }
  return License;
}
