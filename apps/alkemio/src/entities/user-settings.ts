import { Column, Entity, JoinColumn, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `user_settings`. */
export function defineUserSettings(k: EntityKit): Function {
  @Entity('user_settings')
  class UserSettings extends k.Base {
    @Column('json')
    communication!: unknown;

    @Column('json')
    privacy!: unknown;

    @Column('json')
    notification!: unknown;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;
  }
  return UserSettings;
}
