import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `role`. */
export function defineRole(k: EntityKit): Function {
  @Entity('role')
  class Role extends k.Base {
    @Column('varchar', { length: 128 })
    name!: string;

    @Column('json')
    credential!: unknown;

    @Column('json')
    parentCredentials!: unknown;

    @Column('boolean')
    requiresEntryRole!: boolean;

    @Column('boolean')
    requiresSameRoleInParentRoleSet!: boolean;

    @Column('json')
    userPolicy!: unknown;

    @Column('json')
    organizationPolicy!: unknown;

    @Column('json')
    virtualContributorPolicy!: unknown;

    @ManyToOne(() => k.entity('role_set'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'roleSetId' })
    roleSet?: unknown;
  }
  return Role;
}
