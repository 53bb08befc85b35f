import { Column, Entity, JoinColumn, ManyToOne, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `innovation_hub`. */
export function defineInnovationHub(k: EntityKit): Function {
  @Entity('innovation_hub')
  class InnovationHub extends k.Base {
    @Column('varchar', { length: 36 })
    nameID!: string;

    @Column('varchar', { length: 63, unique: true })
    subdomain!: string;

    @Column('varchar')
    type!: string;

    @Column('varchar', { nullable: true })
    spaceVisibilityFilter?: string;

    @Column('simple-array', { nullable: true })
    spaceListFilter?: string[];

    @Column('boolean')
    listedInStore!: boolean;

    @Column('varchar', { length: 128, default: 'account' })
    searchVisibility!: string;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('profile'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'profileId' })
    profile?: unknown;

    @ManyToOne(() => k.entity('account'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'accountId' })
    account?: unknown;
  }
  return InnovationHub;
}
