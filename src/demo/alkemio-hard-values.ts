/**
 * Values in the Alkemio demo data that a MySQL → Postgres move tends to break, and where the
 * seeder puts them. Tests and the verify stage can look them up here instead of guessing.
 */
export const ALKEMIO_HARD_VALUES = {
  /** profile.displayName cycles through these (emoji, quotes, commas, backslashes, tabs). */
  displayNames: [
    'Green Energy Hub 🌱⚡',
    'Café "Utopia" — l\'Atelier',
    'Water, Soil, and Air',
    'C:\\Projects\\Alkemio\\new',
    'Tab\tseparated\tname',
    'Ünïcödé Ωμέγα 漢字 🚀👩‍🔬',
  ],
  /** profile.tagline: the four values that must stay distinct (SQL NULL, empty, the word, the MySQL dump null marker). */
  taglines: [null, '', 'NULL', '\\N'],
  /** profile.description: multi-line markdown with CRLF, tabs, backslashes and emoji. */
  descriptions: [
    '# Vision\n\nWe **connect** people.\n\n- one\n- two, with a comma\n- "quoted"\n\n```\ncode\\n stays\n```\n',
    'Line one\r\nLine two\r\n\r\n> quote with a tab\there\n\nEnd with backslash \\',
    '## Plan 🗺️\n\n1. Measure\n2. Act\n\n| a | b |\n|---|---|\n| 1 | 2 |\n',
  ],
  /** reference.description: control characters and quoting. */
  referenceDescriptions: ['a\nb', 'a\rb', 'a\tb', 'back\\slash', "it's", 'say "hi"', 'comma, separated', '', null],
  /** tagset.tags (simple-array): '' is the empty list; tags never contain commas (TypeORM splits on them). */
  tags: ['', 'energy', 'energy,water', 'α,β,γ', 'quote"inside,apostrophe\'s', 'emoji🌍,tab\there'],
  where: {
    emoji: ['profile.displayName', 'profile.description', 'tagset.tags'],
    quotesCommasBackslashes: ['profile.displayName', 'reference.description', 'tagset.tags'],
    controlCharacters: [
      'profile.description (\\r\\n, \\t)',
      'reference.description (\\n, \\r, \\t)',
      'profile.displayName (\\t)',
    ],
    nullVersusEmpty: ["profile.tagline: NULL, '', 'NULL', '\\N'", "reference.description: NULL and ''"],
    emptySimpleArray: [
      'tagset.tags',
      'invitation.extraRoles',
      'platform_invitation.roleSetExtraRoles',
      'tagset_template.allowedValues',
    ],
    upperCaseUuids: [
      'user.accountID (every 13th user)',
      'post.createdBy and callout.createdBy (about 1 in 5)',
      'whiteboard.createdBy (about 1 in 7)',
      'other createdBy columns (about 1 in 9)',
    ],
    emptyStringInUuidColumns: [
      'callout.publishedBy',
      'activity.parentID',
      'conversation.virtualContributorID',
      'whiteboard.createdBy (every 11th row)',
    ],
    binaryStringsWithNul: ['whiteboard.content', 'callout_contribution_defaults.whiteboardContent'],
    largeValues: [
      'whiteboard.content (some > 1 MB uncompressed random, ~1 MB compressed)',
      'authorization_policy.credentialRules / privilegeRules (multi-KB JSON)',
    ],
    binaryColumn: ['memo.content (mediumblob, includes 0x00 and 0xFF)'],
    microseconds: ['every createdDate / updatedDate has 6 fractional digits'],
    globalEmptyResourceId: ["credential.resourceID = '' for global credentials"],
    rowIdGaps: [
      'rowId of user, organization, space, virtual_contributor, template_content_space, activity, in_app_notification skip values',
    ],
    cycle: ['storage_aggregator.directStorageId <-> storage_bucket.storageAggregatorId, filled both ways'],
    selfReferences: [
      'authorization_policy.parentAuthorizationPolicyId',
      'space.parentSpaceId',
      'storage_aggregator.parentStorageAggregatorId',
      'role_set.parentRoleSetId',
      'template_content_space.parentSpaceId',
    ],
  },
} as const;
