import { Column, Entity } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `nvp`. */
export function defineNvp(k: EntityKit): Function {
  @Entity('nvp')
  class Nvp extends k.Base {
    @Column('varchar', { length: 512 })
    name!: string;

    @Column('varchar', { length: 512 })
    value!: string;

    @Column('int')
    sortOrder!: number;
  }
  return Nvp;
}
