import { z } from 'zod';

/**
 * The manifest is the contract between the stages: export and migrate write it, transform reads
 * one and writes another, import and verify read it. One zod schema defines it, so what a stage
 * reads is checked against the same definition the writer's types come from.
 */

const Sha256 = z.string();
const Count = z.number().int().nonnegative();

export const ManifestColumnSchema = z.object({
  name: z.string(),
  /** Source type as the server declares it (e.g. char(36), tinyint(1)); absent for transformed files. */
  sourceType: z.string().optional(),
  dataType: z.string().optional(),
  nullable: z.boolean().optional(),
  encoding: z.enum(['text', 'hex']),
});

/**
 * Primary-key bounds of a chunk: rows with key > after (exclusive) and key <= upTo (inclusive),
 * compared column by column in key order; an absent bound is open. Values are the key columns'
 * export text (binary keys as \x hex).
 */
export const KeyRangeSchema = z.object({
  key: z.array(z.string()),
  after: z.array(z.string()).optional(),
  upTo: z.array(z.string()).optional(),
});

/**
 * One key range of a table in its own CSV file (with its own header line). A chunk is marked
 * 'complete', with rows, bytes and sha256, only after its file was fully written and synced.
 */
export const ManifestChunkSchema = z.object({
  file: z.string(),
  /** Primary-key bounds; null for a table exported whole. */
  range: KeyRangeSchema.nullable(),
  status: z.enum(['complete', 'pending']),
  rows: Count.optional(),
  bytes: Count.optional(),
  sha256: Sha256.optional(),
  seconds: z.number().optional(),
});

/** Per column, how many values of each kind of change (see transform/change-ledger). */
const ChangeCountsSchema = z.record(z.string(), z.record(z.string(), z.number()));

export const ManifestTableSchema = z.object({
  name: z.string(),
  /** The first (or only) file of the table; see files for chunked tables. */
  file: z.string(),
  /** Every file of the table in primary-key order (export manifests; absent means [file]). */
  files: z.array(z.string()).optional(),
  /** Export only: the files with their key ranges and digests, in the order of files. */
  chunks: z.array(ManifestChunkSchema).optional(),
  columns: z.array(ManifestColumnSchema),
  /** Totals over all files. */
  rows: Count,
  bytes: Count,
  /** sha256 of the file; for a table in several files, of its chunks' sha256 values joined by '\n'. */
  sha256: Sha256,
  seconds: z.number(),
  /**
   * Only 'complete' entries are trusted; a manifest is rewritten after each chunk is synced.
   * 'partial' appears only in a manifest whose run did not finish (what --resume reads).
   */
  status: z.enum(['complete', 'partial']),
  // Transform-only fields:
  sourceTable: z.string().optional(),
  rowsIn: Count.optional(),
  changes: ChangeCountsSchema.optional(),
  droppedRows: z.record(z.string(), z.number()).optional(),
  existing: z.object({ key: z.array(z.string()), policy: z.enum(['replace', 'skip', 'fail']) }).optional(),
});

// gtid: MariaDB's GTID position at the snapshot (absent in manifests written before converge recorded it).
const BinlogSchema = z
  .object({ file: z.string(), position: z.number(), gtid: z.string().nullable().optional() })
  .nullable()
  .optional();

export const MANIFEST_FORMATS = ['converge-export/1', 'converge-transform/1'] as const;

export const ManifestSchema = z.object({
  format: z.enum(MANIFEST_FORMATS),
  runId: z.string(),
  pipeline: z.string(),
  createdAt: z.string(),
  completedAt: z.string().optional(),
  source: z.object({ descriptor: z.string(), database: z.string(), serverVersion: z.string() }),
  snapshot: z
    .object({
      method: z.string(),
      binlog: BinlogSchema,
      timeZone: z.string(),
      /** Set when --resume kept files written under an earlier snapshot: that snapshot. */
      earlier: z.object({ runId: z.string(), method: z.string(), binlog: BinlogSchema }).optional(),
    })
    .optional(),
  targetSchema: z.string().optional(),
  csv: z.object({
    delimiter: z.literal(','),
    nullAs: z.literal('unquoted empty'),
    header: z.literal(true),
    binary: z.literal('\\x hex'),
  }),
  tables: z.record(z.string(), ManifestTableSchema),
  /** Tables excluded on purpose (e.g. schema_migration): listed so nobody wonders. */
  excluded: z.array(z.string()).optional(),
});

export type ManifestColumn = z.infer<typeof ManifestColumnSchema>;
export type KeyRange = z.infer<typeof KeyRangeSchema>;
export type ManifestChunk = z.infer<typeof ManifestChunkSchema>;
export type ManifestTable = z.infer<typeof ManifestTableSchema>;
export type Manifest = z.infer<typeof ManifestSchema>;
export type ManifestFormat = Manifest['format'];

export const MANIFEST_FILE = 'manifest.json';

export const CSV_DIALECT: Manifest['csv'] = {
  delimiter: ',',
  nullAs: 'unquoted empty',
  header: true,
  binary: '\\x hex',
};
