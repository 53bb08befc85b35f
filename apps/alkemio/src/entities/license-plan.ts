import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `license_plan`. */
export function defineLicensePlan(k: EntityKit): Function {
  @Entity('license_plan')
  class LicensePlan extends k.Base {
    @Column('text')
    name!: string;

    @Column('boolean', { default: true })
    enabled!: boolean;

    @Column('int')
    sortOrder!: number;

    @Column('decimal', { precision: 10, scale: 2, nullable: true })
    pricePerMonth?: string;

    @Column('boolean', { default: false })
    isFree!: boolean;

    @Column('boolean', { default: false })
    trialEnabled!: boolean;

    @Column('boolean', { default: false })
    requiresPaymentMethod!: boolean;

    @Column('boolean', { default: false })
    requiresContactSupport!: boolean;

    @Column('text')
    licenseCredential!: string;

    @Column('varchar', { length: 128 })
    type!: string;

    @Column('boolean', { default: false })
    assignToNewOrganizationAccounts!: boolean;

    @Column('boolean', { default: false })
    assignToNewUserAccounts!: boolean;

    @ManyToOne(() => k.entity('licensing_framework'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'licensingFrameworkId' })
    licensingFramework?: unknown;
  }
  return LicensePlan;
}
