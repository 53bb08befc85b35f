import { Column, Entity, JoinColumn, ManyToOne, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `role_set`. */
export function defineRoleSet(k: EntityKit): Function {
  @Entity('role_set')
  class RoleSet extends k.Base {
    @Column('varchar', { length: 128 })
    entryRoleName!: string;

    @Column('varchar', { length: 128 })
    type!: string;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('license'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'licenseId' })
    license?: unknown;

    @OneToOne(() => k.entity('form'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'applicationFormId' })
    applicationForm?: unknown;

    /** Self-reference. */
    @ManyToOne(() => k.entity('role_set'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'parentRoleSetId' })
    parentRoleSet?: unknown;
  }
  return RoleSet;
}
