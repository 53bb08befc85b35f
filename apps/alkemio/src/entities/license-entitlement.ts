import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `license_entitlement`. */
export function defineLicenseEntitlement(k: EntityKit): Function {
  @Entity('license_entitlement')
  class LicenseEntitlement extends k.Base {
    @Column('varchar', { length: 128 })
    type!: string;

    @Column('varchar', { length: 128 })
    dataType!: string;

    @Column('int')
    limit!: number;

    @Column('boolean')
    enabled!: boolean;

    @ManyToOne(() => k.entity('license'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'licenseId' })
    license?: unknown;
  }
  return LicenseEntitlement;
}
