import { Client } from 'pg';
import { pgTextHashOf } from '../../src/target/postgres/verify/segment-sums';
import { PG_TEXT_HASH_PROBE, pgTextHash64 } from '../../src/verify/pg-text-hash';
import { createPgDb, TestDb } from '../helpers/databases';

/**
 * converge's copy of Postgres's hashtextextended (the streamed half of verify's row hashes) gives
 * Postgres's numbers: every length from 0 to 40 bytes (each tail of the 12-byte rounds), long
 * texts, multi-byte characters; and the probe verify asks before relying on it.
 */

let db: TestDb;
let pg: Client;

beforeAll(async () => {
  db = await createPgDb('vtexthash');
  pg = new Client({ connectionString: db.url });
  await pg.connect();
});

afterAll(async () => {
  await pg?.end().catch(() => undefined);
  await db?.drop().catch(() => undefined);
});

const LETTERS = ['a', 'Z', '0', ',', ':', 'é', '日', '🎉', ' ', '\n', '\\', '"', 'ÿ', '\u0001'];
const text = (n: number) =>
  Array.from({ length: n }, () => LETTERS[Math.floor(Math.random() * LETTERS.length)]).join('');

test('hashtextextended computed by converge is the one Postgres computes', async () => {
  const texts = [PG_TEXT_HASH_PROBE, ''];
  for (let n = 0; n <= 40; n++) for (let r = 0; r < 4; r++) texts.push(text(n));
  for (let r = 0; r < 40; r++) texts.push(text(Math.floor(Math.random() * 3000)));
  const { rows } = await pg.query(
    'SELECT hashtextextended(t COLLATE "C", 0)::text AS h FROM unnest($1::text[]) WITH ORDINALITY AS u(t, i) ORDER BY i',
    [texts],
  );
  expect(rows.map((r) => r.h)).toEqual(texts.map((t) => pgTextHash64(t).toString()));
  expect(await pgTextHashOf(pg, PG_TEXT_HASH_PROBE)).toBe(pgTextHash64(PG_TEXT_HASH_PROBE).toString());
});
