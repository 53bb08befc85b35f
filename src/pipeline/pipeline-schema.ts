import { z } from 'zod';

/**
 * The pipeline file, as a validator. It is the single definition: loadPipeline checks files
 * against it, docs/pipeline.schema.json is generated from it (a unit test keeps the two equal),
 * and docs/pipeline.md describes it.
 */

export const TRACKING_STYLES = ['pop', 'typeorm', 'converge'] as const;

export const trackingSpec = z
  .object({
    schema: z.string().optional().describe('Schema of the tracking table (Postgres); default: the pipeline schema.'),
    table: z.string().describe("The migration tool's tracking table, e.g. schema_migration."),
    style: z.enum(TRACKING_STYLES).describe('How converge records a migration in it when it applies one.'),
  })
  .strict();

/**
 * How `converge baseline generate` builds the target schema from the application's own TypeORM
 * entities. Everything is loaded from the application's folder, never from converge's.
 */
const baseline = z
  .object({
    entities: z
      .string()
      .describe(
        'Module (a path like the others) exporting entities(dialect) and optionally queryResultCacheTable, title.',
      ),
    app: z
      .string()
      .optional()
      .describe("The application's folder, where `typeorm` is resolved from (default: the entities module's folder)."),
    postgres: z.string().describe('Where the generated Postgres baseline goes.'),
    mysql: z
      .string()
      .optional()
      .describe('Where the generated MySQL schema goes, when the source schema is generated too.'),
  })
  .strict();

export const pipelineFile = z
  .object({
    $schema: z.string().optional(),
    name: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only')
      .describe('The pipeline name (--pipeline NAME).'),
    description: z.string().optional(),
    source: z
      .object({
        database: z.string().describe('MySQL database, used when the source URL names none.'),
        exclude: z.array(z.string()).default([]).describe('Source tables never exported, checked or verified.'),
        migrations: z
          .string()
          .optional()
          .describe('Folder of MySQL migrations (.sql): only for demos and rehearsals that build a scratch source.'),
        tracking: trackingSpec.optional().describe("The source's migration-tracking table (never copied)."),
      })
      .strict(),
    target: z
      .object({
        database: z.string().describe('Postgres database, used when the target URL names none.'),
        schema: z.string().default('public').describe('Postgres schema the application tables live in.'),
        migrations: z
          .string()
          .optional()
          .describe(
            "Folder of the application's Postgres migrations (.sql) for `converge schema apply`; omit it when the application applies its own schema.",
          ),
        tracking: trackingSpec
          .optional()
          .describe("The target's migration-tracking table: never loaded, kept as the application wrote it."),
        keep: z
          .array(z.string())
          .default([])
          .describe('Target tables converge never loads (besides recognised migration-tracking tables).'),
        replaceSeeded: z
          .array(z.string())
          .default([])
          .describe("Tables whose rows the target's own migrations seeded: the load replaces them with the source's."),
        baseline: baseline.optional(),
      })
      .strict(),
    mapping: z.string().describe('The mapping folder (or file), relative to the project folder.'),
    seed: z
      .string()
      .optional()
      .describe('Module (a path like the others) exporting the demo/rehearsal seeder: see src/pipeline/seeder.ts.'),
    demoScale: z.number().int().positive().default(200).describe('Seed size of the demo and rehearsals.'),
  })
  .strict();

export type PipelineFile = z.infer<typeof pipelineFile>;
