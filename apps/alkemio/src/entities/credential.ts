import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `credential`. */
export function defineCredential(k: EntityKit): Function {
  @Entity('credential')
  class Credential extends k.Base {
    /** '' means global: kept as varchar, not uuid. */
    @Column('varchar', { length: 36 })
    resourceID!: string;

    @Column('varchar', { length: 128 })
    type!: string;

    @Column({ ...k.types.uuid, nullable: true })
    issuer?: string;

    @Column({ ...k.types.dateTime, nullable: true })
    expires?: Date;

    @ManyToOne(() => k.entity('agent'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'agentId' })
    agent?: unknown;
  }
  return Credential;
}
