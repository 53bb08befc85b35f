import { Column, Entity } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `lifecycle`. */
export function defineLifecycle(k: EntityKit): Function {
  @Entity('lifecycle')
  class Lifecycle extends k.Base {
    /** JSON-like text (a serialised state machine), not a json column. */
    @Column('text', { nullable: true })
    machineState?: string;
  }
  return Lifecycle;
}
