import type { PgValueType } from '../../src/target/postgres/catalog';

/**
 * A PgValueType as the catalog query resolves it, from a short spec: a pg_type name with an
 * optional typmod argument list and [] for an array ("timestamptz(6)", "numeric(10,2)", "int4[]",
 * "enum"). Typmods are encoded the way Postgres stores them.
 */
export function pgType(spec: string): PgValueType {
  if (spec.endsWith('[]')) {
    const elem = pgType(spec.slice(0, -2));
    return { name: '_' + elem.name, typtype: 'b', typmod: elem.typmod, elem };
  }
  const m = /^([a-z0-9_]+)(?:\((-?\d+)(?:,(-?\d+))?\))?$/.exec(spec);
  if (!m) throw new Error(`bad type spec ${spec}`);
  const [, name, a, b] = m;
  if (name === 'enum') return { name: 'mood', typtype: 'e', typmod: -1 };
  let typmod = -1;
  if (a !== undefined) {
    if (name === 'numeric') typmod = ((Number(a) << 16) | (Number(b ?? 0) & 0x7ff)) + 4;
    else if (['bpchar', 'varchar', 'bit', 'varbit'].includes(name)) typmod = Number(a) + 4;
    else typmod = Number(a);
  }
  return { name, typtype: 'b', typmod };
}
