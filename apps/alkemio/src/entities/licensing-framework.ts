import { Entity, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `licensing_framework`. */
export function defineLicensingFramework(k: EntityKit): Function {
  @Entity('licensing_framework')
  class LicensingFramework extends k.Base {
    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('license_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'licensePolicyId' })
    licensePolicy?: unknown;
  }
  return LicensingFramework;
}
