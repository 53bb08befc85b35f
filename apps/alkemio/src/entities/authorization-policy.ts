import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `authorization_policy`. */
export function defineAuthorizationPolicy(k: EntityKit): Function {
  @Entity('authorization_policy')
  class AuthorizationPolicy extends k.Base {
    @Column('json')
    credentialRules!: unknown;

    @Column('json')
    privilegeRules!: unknown;

    @Column('varchar', { length: 128 })
    type!: string;

    /** Self-reference. */
    @ManyToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'parentAuthorizationPolicyId' })
    parentAuthorizationPolicy?: unknown;
  }
  return AuthorizationPolicy;
}
