import type { MysqlConnection } from '../source/mysql/connect';
import { seedKratos } from './kratos-seed';
import { seedErp } from './erp-seed';
import { seedAudit } from './audit-seed';
import { seedAlkemio } from './alkemio-seed';

export type Seeder = (conn: MysqlConnection, opts: { scale: number; seed?: number }) => Promise<Record<string, number>>;

/** Seeders by the name a pipeline.yaml gives under `seed:`. */
export const SEEDERS: Record<string, Seeder> = {
  kratos: seedKratos,
  alkemio: seedAlkemio,
  erp: seedErp,
  audit: seedAudit,
};
