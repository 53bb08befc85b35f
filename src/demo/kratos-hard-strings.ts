/**
 * The values that break naive MySQL → Postgres copies, as the Kratos seeder writes them.
 * Kept apart from the generators so tests can assert the exact bytes that went in.
 */

/** Every character class a CSV or COPY path must escape: 4-byte emoji, quotes, separators, CR/LF, tab, backslash. */
export const TEXT_SPECIAL = 'Zoë 🦄 said "hi", then left;\nline two\r\nline three\ttabbed \\ back\\slash \'single\' ,,';
/** The four strings that a lossy export turns into each other. */
export const TEXT_LITERAL_NULL = 'NULL';
export const TEXT_BACKSLASH_N = '\\N';
export const TEXT_EMPTY = '';

/** Repeats `fill` after `prefix` until exactly `length` characters (code points, as MySQL counts). */
export function fullLength(prefix: string, fill: string, length: number, suffix = ''): string {
  const out = Array.from(prefix);
  const f = Array.from(fill);
  const tail = Array.from(suffix);
  for (let i = 0; out.length < length - tail.length; i++) out.push(f[i % f.length]);
  return out.concat(tail).join('');
}

/** identities.state is varchar(255): full, with 2-, 3- and 4-byte characters. */
export const STATE_MAX = fullLength('suspended: état ', 'äöü€🦄', 255);
/** identity_recovery_addresses.value is varchar(400). */
export const RECOVERY_VALUE_MAX = fullLength('long.', 'ñaä', 400, '@example.org');
/** courier_messages.subject is varchar(255). */
export const SUBJECT_MAX = fullLength('Ünïcödé subject 🦄 "quoted", ', 'x€🦄', 255);
export const USER_AGENT_SPECIAL = 'Mozilla/5.0 "Quoted" (X11; Linux x86_64) 🦄,\tTab\\Backslash';
export const IDENTIFIER_SPECIAL = 'zoë.ñuñez+🦄@exämple.org';

/** identities.traits of identity 0: nested objects and arrays, escaped quotes, accents, emoji. */
export const TRAITS_SPECIAL = {
  email: 'user0@example.org',
  name: { first: 'Zoë', last: 'Ñuñez "the 🦄"' },
  locale: 'fr-CA',
  tags: ['àéîõü', '日本語', { deep: [1, 2.5, true, null, { emoji: '🦄🚀', slash: 'a\\b/c', nl: 'x\ny' }] }],
};

/** courier_messages.template_data of message 0: NUL, 0xFF, escapes, invalid UTF-8. */
export const BLOB_SPECIAL = Buffer.from([
  0x00, 0xff, 0x00, 0x5c, 0x4e, 0x0a, 0x0d, 0x09, 0x22, 0x27, 0x2c, 0x80, 0xfe, 0xc3, 0x28, 0xff, 0x00,
]);

/** courier_message_dispatches.error of dispatch 0. */
export const DISPATCH_ERROR_SPECIAL = {
  reason: 'SMTP 550 "mailbox unavailable" for zoë@exämple.org 🦄',
  code: 550,
  details: { retry: false, hops: ['mx1.example.org', 'mx2.example.org'], note: 'line1\nline2\ttab' },
};

/** The credential type ids as the MySQL fixture's 0002 migration seeds them (an older source). */
export const KRATOS_SOURCE_CREDENTIAL_TYPE_IDS: Readonly<Record<string, string>> = {
  password: '78c1b41d-8341-4507-aa60-aff1d4369670',
  oidc: '1f3e5a7c-9b2d-4e6f-8a0c-3d5f7b9e1a24',
  totp: 'C4E6A8B0-2D4F-4A6C-9E8B-0F2D4B6A8C17',
  lookup_secret: '9d7b5f3e-1c8a-4b6d-a2e4-6f8c0a2e4b93',
  webauthn: '8f2a6d4c-1b3e-4f5a-9c7d-2e4b6a8c0d1f',
  code: 'e2c4a6b8-0d2f-4e6a-8b1c-5a7c9e1b3d68',
  passkey: '2a9c4e6f-8d1b-4c3a-b5e7-9f2d4a6c8e03',
};

/** The ids the Postgres fixture's 0002 migration seeds (the target's). */
export const KRATOS_TARGET_CREDENTIAL_TYPE_IDS: Readonly<Record<string, string>> = {
  password: '78c1b41d-8341-4507-aa60-aff1d4369670',
  oidc: '6fa681da-a4a4-4b3b-8b2e-5cd7c8a0b3f1',
  totp: '0b3c2d3e-7f5a-4c1d-9e2b-1a8f6c4d2e90',
  lookup_secret: '3c7e9b1a-2d4f-4a6b-8c9d-0e1f2a3b4c5d',
  webauthn: '8f2a6d4c-1b3e-4f5a-9c7d-2e4b6a8c0d1f',
  code: '5d1e7c3a-9b2f-4e8d-a6c4-7f0b3d5e9a21',
  passkey: '2a9c4e6f-8d1b-4c3a-b5e7-9f2d4a6c8e03',
};

/** Non-password credential types, in the order the first credential rows use them. */
export const EXTRA_CREDENTIAL_TYPES = ['oidc', 'totp', 'lookup_secret', 'webauthn', 'code', 'passkey'] as const;
