/**
 * The files `converge init` writes into an operator's project folder. The pipeline file is the
 * commented example docs/pipeline.md shows (a unit test loads both), so the two cannot drift.
 */

export function pipelineTemplate(name: string, sourceDb: string, targetDb: string): string {
  return `# converge pipeline "${name}": which databases move, and where the mapping lives.
# Every key is described in docs/pipeline.md of converge (and its JSON Schema, pipeline.schema.json).
# Paths are relative to this project folder (the one holding pipelines/ and mappings/).
name: ${name}
description: ${name}, MySQL to PostgreSQL
source:
  # The MySQL database, used when the source URL (CONVERGE_SOURCE_URL) names none.
  database: ${sourceDb}
  # Source tables never exported, checked or verified (audit logs you leave behind, say).
  exclude: []
  # A migration tool's tracking table (TypeORM migrations, Flyway, Knex, Prisma, Rails, …) is
  # recognised by name and never copied. Name yours here if your tool is not one of them:
  # tracking: { table: app_schema_versions, style: converge }
target:
  # The Postgres database, used when the target URL (CONVERGE_TARGET_URL) names none.
  database: ${targetDb}
  # The schema the application's tables are in.
  schema: public
  # Your application has already created the Postgres schema (its own migrations): converge
  # loads data into it and never creates or changes a table. Only if converge should apply
  # plain .sql migrations with \`converge schema apply\`, name their folder and tracking table:
  # migrations: migrations/postgres
  # tracking: { table: schema_version, style: converge }
  # Target tables converge must never load, besides the recognised tracking tables:
  keep: []
  # Tables the application's migrations seed that the load replaces with the source's rows:
  replaceSeeded: []
# Every *.yaml in this folder is one mapping. Draft it with \`converge map init --probe\`
# (written beside it, as mappings/${name}.draft.yaml), resolve its TODOs, move it in.
mapping: mappings/${name}
`;
}

export const ENV_EXAMPLE = `# Copy to .env (never commit .env: it holds passwords). Flags beat the environment, which
# beats this file; \`converge env\` shows what is in force and where each value came from.
CONVERGE_SOURCE_URL=mysql://migrator:password@127.0.0.1:3306/app
CONVERGE_TARGET_URL=postgres://migrator:password@127.0.0.1:5432/app
# Where export files, manifests and --keep-files CSVs go (default converge-work/<pipeline>).
# CONVERGE_WORK_DIR=converge-work
`;

export const GITIGNORE = `# converge: the work directory holds exported data (personal data, 0600 files); .env holds passwords.
converge-work/
.env
`;

export function mappingReadme(name: string): string {
  return `# Mapping of pipeline ${name}

Every \`*.yaml\` file here is part of the mapping (docs/mapping.md of converge). To start one:

    converge map init --probe          # writes mappings/${name}.draft.yaml, beside this folder
    # resolve its TODOs (uncomment the proposed defaults you accept), then
    mv mappings/${name}.draft.yaml mappings/${name}/${name}.yaml
    converge map check --probe         # until it reports no error
`;
}
