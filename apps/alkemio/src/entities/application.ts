import { Entity, JoinColumn, JoinTable, ManyToMany, ManyToOne, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `application`. */
export function defineApplication(k: EntityKit): Function {
  @Entity('application')
  class Application extends k.Base {
    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('lifecycle'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'lifecycleId' })
    lifecycle?: unknown;

    @ManyToOne(() => k.entity('user'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'userId' })
    user?: unknown;

    @ManyToOne(() => k.entity('role_set'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'roleSetId' })
    roleSet?: unknown;

    /** The join table application_questions (applicationId, nvpId), both CASCADE. */
    @ManyToMany(() => k.entity('nvp'), { onDelete: 'CASCADE' })
    @JoinTable({
      name: 'application_questions',
      joinColumn: { name: 'applicationId', referencedColumnName: 'id' },
      inverseJoinColumn: { name: 'nvpId', referencedColumnName: 'id' },
    })
    questions?: unknown[];
  }
  return Application;
}
