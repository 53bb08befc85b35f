import { Column, Entity, Generated } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `activity`. */
export function defineActivity(k: EntityKit): Function {
  @Entity('activity')
  class Activity extends k.Base {
    @Generated('increment')
    @Column('int', { unique: true })
    rowId!: number;

    @Column({ ...k.types.uuid })
    triggeredBy!: string;

    @Column({ ...k.types.uuid })
    resourceID!: string;

    @Column({ ...k.types.uuid, nullable: true })
    parentID?: string;

    @Column({ ...k.types.uuid })
    collaborationID!: string;

    @Column({ ...k.types.messageId, nullable: true })
    messageID?: string;

    @Column('boolean')
    visibility!: boolean;

    @Column('varchar', { length: 512, nullable: true })
    description?: string;

    @Column('varchar', { length: 128 })
    type!: string;
  }
  return Activity;
}
