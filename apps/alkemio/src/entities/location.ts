import { Column, Entity } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `location`. */
export function defineLocation(k: EntityKit): Function {
  @Entity('location')
  class Location extends k.Base {
    @Column('varchar', { length: 128, nullable: true })
    city?: string;

    @Column('varchar', { length: 128, nullable: true })
    country?: string;

    @Column('varchar', { length: 512, nullable: true })
    addressLine1?: string;

    @Column('varchar', { length: 512, nullable: true })
    addressLine2?: string;

    @Column('varchar', { length: 128, nullable: true })
    stateOrProvince?: string;

    @Column('varchar', { length: 128, nullable: true })
    postalCode?: string;

    @Column('json')
    geoLocation!: unknown;
  }
  return Location;
}
