import type { ManifestTable } from '../../manifest';
import type { MysqlTable } from '../../source/mysql/catalog';

/**
 * The source catalog as the export recorded it (each table's columns, types and nullability),
 * for the checks a stage runs without the source (transform): what map check needs to say which
 * target columns the mapping feeds. Lengths, defaults and keys are not in a manifest; the checks
 * that need them are map check's own.
 */
export function exportedCatalog(tables: ManifestTable[]): MysqlTable[] {
  return tables.map((t) => ({
    name: t.name,
    columns: t.columns.map((c) => ({
      name: c.name,
      columnType: c.sourceType ?? '',
      dataType: c.dataType ?? '',
      // Unknown is nullable: no check may call a column NOT NULL that the export did not.
      nullable: c.nullable ?? true,
      isJson: c.dataType === 'json',
      maxLength: null,
      extra: '',
      columnDefault: null,
    })),
    primaryKey: [],
    estimatedRows: t.rows,
    dataBytes: t.bytes,
  }));
}
