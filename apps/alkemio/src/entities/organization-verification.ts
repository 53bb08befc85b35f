import { Column, Entity, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `organization_verification`. */
export function defineOrganizationVerification(k: EntityKit): Function {
  @Entity('organization_verification')
  class OrganizationVerification extends k.Base {
    @Column('varchar', { length: 36 })
    organizationID!: string;

    @Column('varchar', { length: 128, default: 'not-verified' })
    status!: string;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('lifecycle'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'lifecycleId' })
    lifecycle?: unknown;
  }
  return OrganizationVerification;
}
