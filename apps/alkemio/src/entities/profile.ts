import { Column, Entity, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';
import { PROFILE_TYPES, ProfileType } from '../profile-types';

/** Table `profile`. */
export function defineProfile(k: EntityKit): Function {
  @Entity('profile')
  class Profile extends k.Base {
    @Column('text')
    displayName!: string;

    @Column('text', { nullable: true })
    tagline?: string;

    @Column('text', { nullable: true })
    description?: string;

    @Column('enum', { enum: PROFILE_TYPES, enumName: 'profile_type_enum' })
    type!: ProfileType;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('location'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'locationId' })
    location?: unknown;

    @OneToOne(() => k.entity('storage_bucket'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'storageBucketId' })
    storageBucket?: unknown;
  }
  return Profile;
}
