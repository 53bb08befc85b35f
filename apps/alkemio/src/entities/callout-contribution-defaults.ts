import { Column, Entity } from 'typeorm';
import { EntityKit } from '../entity-kit';

/** Table `callout_contribution_defaults`. */
export function defineCalloutContributionDefaults(k: EntityKit): Function {
  @Entity('callout_contribution_defaults')
  class CalloutContributionDefaults extends k.Base {
    @Column('text', { nullable: true })
    defaultDisplayName?: string;

    @Column('text', { nullable: true })
    postDescription?: string;

    /** Zlib-compressed bytes kept as a latin1 "binary string" (one code point per byte). */
    @Column({ ...k.types.longText, nullable: true })
    whiteboardContent?: string;
  }
  return CalloutContributionDefaults;
}
