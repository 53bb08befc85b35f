/** The 19 labels of profile.type (MySQL enum, Postgres type profile_type_enum), in declared order. */
export const PROFILE_TYPES = [
  'space-about',
  'innovation-flow',
  'callout-framing',
  'knowledge-base',
  'post',
  'contribution-link',
  'whiteboard',
  'memo',
  'discussion',
  'organization',
  'user-group',
  'user',
  'innovation-hub',
  'calendar-event',
  'innovation-pack',
  'template',
  'community-guidelines',
  'virtual-contributor',
  'virtual-persona',
] as const;

export type ProfileType = (typeof PROFILE_TYPES)[number];
