import { z } from 'zod';

/**
 * The mapping language, as a validator. It is the single definition: the loader checks files
 * against it, docs/mapping.schema.json is generated from it, and the types below come from it.
 */

export const TRANSFORM_TYPES = [
  'copy',
  'text',
  'uuid',
  'boolean',
  'enum',
  'set',
  'timestamp',
  'date',
  'time',
  'year',
  'json',
  'jsonb',
  'integer',
  'numeric',
  'float',
  'bytea',
  'simple-array',
  'simple-json',
  'latin1-bytes',
  'latin1-base64',
  'json-array',
] as const;
export type TransformType = (typeof TRANSFORM_TYPES)[number];

const transformType = z.enum(TRANSFORM_TYPES);

export const columnSpecObject = z
  .object({
    to: z.string().min(1).optional().describe('Target column name; default: the source name.'),
    type: transformType.optional().describe('Transform to apply; default: copy.'),
    emptyToNull: z.boolean().optional().describe("Declares that '' becomes NULL (counted)."),
    nullTo: z.string().optional().describe('Declares the value a NULL becomes (counted), for NOT NULL targets.'),
    map: z
      .record(z.string(), z.string())
      .optional()
      .describe('Enum/value map: source label → target label. A value missing from it is an error.'),
    remap: z.string().optional().describe('Name of a lookup under `lookups` that rewrites this id (counted).'),
    // YAML reads an unquoted `null` as null: accept it as the 'null' policy it obviously means.
    zeroDate: z
      .union([z.string(), z.null()])
      .transform((v) => v ?? 'null')
      .optional()
      .describe("Zero dates ('0000-00-00…'): error (default), null, or a replacement value (counted)."),
    timezone: z
      .string()
      .optional()
      .describe('IANA zone the source values are in; converted to UTC. Default: mapping defaults.timezone.'),
    invalid: z
      .union([z.enum(['error', 'null']), z.null()])
      .transform((v) => v ?? 'null')
      .optional()
      .describe('What an invalid JSON value becomes: error (default) or NULL (counted).'),
    trim: z.boolean().optional().describe('Trim surrounding white space (counted when it changes a value).'),
    case: z.enum(['lower', 'upper']).optional().describe('Change case (counted when it changes a value).'),
    replace: z
      .object({ pattern: z.string(), with: z.string(), flags: z.string().optional() })
      .strict()
      .optional()
      .describe('Regular-expression replace (counted when it changes a value).'),
    trueValues: z
      .array(z.string())
      .optional()
      .describe("boolean: source values meaning true (default '1', 'Y', 'y', 'true')."),
    falseValues: z
      .array(z.string())
      .optional()
      .describe("boolean: source values meaning false (default '0', 'N', 'n', 'false')."),
    uuidFormat: z
      .enum(['text', 'binary', 'swapped'])
      .optional()
      .describe('uuid: CHAR(36) text (default), BINARY(16), or MySQL UUID_TO_BIN(x,1) swapped bytes.'),
  })
  .strict();

export const columnSpec = z.union([transformType, z.literal('drop'), columnSpecObject]);

export const addedColumn = z
  .object({
    constant: z.string().nullable().optional(),
    concat: z.array(z.string()).min(1).optional(),
    separator: z.string().optional(),
  })
  .strict()
  .refine((v) => (v.constant !== undefined) !== (v.concat !== undefined), {
    message: 'give exactly one of constant or concat',
  });

export const uniquePolicy = z
  .object({
    columns: z.array(z.string()).min(1).describe('Target columns of a unique index the source does not enforce.'),
    policy: z.enum(['fail', 'keep-first', 'keep-newest']),
    newest: z.string().optional().describe('keep-newest: the source column whose greatest value wins.'),
  })
  .strict()
  .refine((v) => v.policy !== 'keep-newest' || !!v.newest, { message: 'keep-newest needs `newest: <column>`' });

export const existingPolicy = z
  .object({
    key: z
      .array(z.string())
      .min(1)
      .describe('Natural key (target columns) identifying a row the target already holds.'),
    policy: z.enum(['replace', 'skip', 'fail']),
  })
  .strict();

export const tableSpecObject = z
  .object({
    target: z.string().min(1).optional(),
    skip: z.boolean().optional().describe('Do not copy this table at all.'),
    copyMigrationHistory: z
      .boolean()
      .optional()
      .describe(
        "Copy this table although it is a migration tool's tracking table (refused by map check otherwise): its rows replace the target's migration history.",
      ),
    columns: z.record(z.string(), columnSpec).default({}),
    drop: z.array(z.string()).optional().describe('Source columns deliberately not copied.'),
    add: z.record(z.string(), addedColumn).optional().describe('Target columns with no source column.'),
    unique: z.array(uniquePolicy).optional(),
    existing: existingPolicy.optional(),
    dropRowsWithNull: z
      .array(z.string())
      .optional()
      .describe(
        'Declares that source rows with NULL in these target columns are dropped (counted): for columns NOT NULL only on the target where no default makes sense.',
      ),
  })
  .strict();

export const tableSpec = z.union([z.literal('skip'), tableSpecObject]);

export const lookupSpec = z
  .object({
    source: z.object({ table: z.string(), key: z.string(), naturalKey: z.string() }).strict(),
    target: z.object({ table: z.string(), key: z.string(), naturalKey: z.string() }).strict(),
    missing: z
      .enum(['keep', 'error'])
      .default('keep')
      .describe('A source id whose natural key the target lacks: keep it, or fail.'),
  })
  .strict();

/**
 * A mapping-wide rule for every column of one transform type: one decision per kind of dirty
 * value ("zero dates become NULL") instead of one edit per column. A column's own setting wins.
 */
export const typeDefault = columnSpecObject
  .pick({ emptyToNull: true, zeroDate: true, trueValues: true, falseValues: true, invalid: true })
  .strict();

const typeDefaults = Object.fromEntries(
  TRANSFORM_TYPES.map((t) => [
    t,
    typeDefault.optional().describe(`Rules for every column of type ${t} that does not set them itself.`),
  ]),
) as Record<TransformType, z.ZodOptional<typeof typeDefault>>;

export const mappingDefaults = z
  .object({
    timezone: z.string().optional().describe('IANA zone the source DATETIME values are written in (default UTC).'),
    ...typeDefaults,
  })
  .strict();

export const mappingFile = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1).optional(),
    defaults: mappingDefaults.optional(),
    lookups: z.record(z.string(), lookupSpec).optional(),
    tables: z.record(z.string(), tableSpec).default({}),
  })
  .strict();

export type ColumnSpecObject = z.infer<typeof columnSpecObject>;
export type ColumnSpec = z.infer<typeof columnSpec>;
export type TableSpecObject = z.infer<typeof tableSpecObject>;
export type LookupSpec = z.infer<typeof lookupSpec>;
export type TypeDefault = z.infer<typeof typeDefault>;
export type MappingFile = z.infer<typeof mappingFile>;
