import { Column, Entity } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `form`. */
export function defineForm(k: EntityKit): Function {
  @Entity('form')
  class Form extends k.Base {
    /** JSON-like text, not a json column. */
    @Column('text')
    questions!: string;

    @Column('text')
    description!: string;
  }
  return Form;
}
