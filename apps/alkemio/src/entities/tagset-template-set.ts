import { Entity } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `tagset_template_set`. */
export function defineTagsetTemplateSet(k: EntityKit): Function {
  @Entity('tagset_template_set')
  class TagsetTemplateSet extends k.Base {}
  return TagsetTemplateSet;
}
