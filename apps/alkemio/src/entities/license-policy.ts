import { Column, Entity, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `license_policy`. */
export function defineLicensePolicy(k: EntityKit): Function {
  @Entity('license_policy')
  class LicensePolicy extends k.Base {
    @Column('json')
    credentialRules!: unknown;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;
  }
  return LicensePolicy;
}
