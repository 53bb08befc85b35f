import { Column, Entity, JoinColumn, ManyToOne, OneToOne } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `innovation_pack`. */
export function defineInnovationPack(k: EntityKit): Function {
  @Entity('innovation_pack')
  class InnovationPack extends k.Base {
    @Column('varchar', { length: 36 })
    nameID!: string;

    @Column('boolean')
    listedInStore!: boolean;

    @Column('varchar', { length: 36, default: 'account' })
    searchVisibility!: string;

    @OneToOne(() => k.entity('authorization_policy'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'authorizationId' })
    authorization?: unknown;

    @OneToOne(() => k.entity('profile'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'profileId' })
    profile?: unknown;

    @ManyToOne(() => k.entity('account'), { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'accountId' })
    account?: unknown;

    @OneToOne(() => k.entity('templates_set'), { onDelete: 'SET NULL' })
    @JoinColumn({ name: 'templatesSetId' })
    templatesSet?: unknown;
  }
  return InnovationPack;
}
