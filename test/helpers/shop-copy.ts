import path from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import mysql from 'mysql2/promise';
import { Client } from 'pg';

/**
 * The rehearsal tests' operator case: a `shop` pipeline with no seeder and no migrations of its
 * own (the application applied its Postgres schema), and an existing copy of its source data.
 */

/** The copy of the production data: three tables, 3302 rows, a foreign key. */
export async function createShopSource(url: string): Promise<void> {
  const c = await mysql.createConnection({ uri: url, multipleStatements: true });
  try {
    await c.query(`
      CREATE TABLE customers (id INT NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL, created_at DATETIME NOT NULL) ENGINE=InnoDB;
      CREATE TABLE orders (
        id INT NOT NULL PRIMARY KEY, customer_id INT NOT NULL, total DECIMAL(10,2) NOT NULL, note TEXT NULL,
        CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
      ) ENGINE=InnoDB;
      CREATE TABLE tags (id INT NOT NULL PRIMARY KEY, label VARCHAR(20) NOT NULL) ENGINE=InnoDB;
      INSERT INTO customers SELECT seq, CONCAT('customer ', seq), '2022-01-01' + INTERVAL seq HOUR FROM seq_1_to_300;
      INSERT INTO orders SELECT seq, 1 + seq % 300, (seq % 5000) / 10, IF(seq % 3 = 0, NULL, CONCAT('order "', seq, '",\\n'))
        FROM seq_1_to_3000;
      INSERT INTO tags VALUES (1, 'new'), (2, 'vip');
    `);
  } finally {
    await c.end();
  }
}

/** The application's own schema, applied by the application: the pipeline has no migrations. */
export async function createShopTarget(url: string): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`
      CREATE TABLE customers (id integer PRIMARY KEY, name varchar(100) NOT NULL, created_at timestamp NOT NULL);
      CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer NOT NULL REFERENCES customers (id),
        total numeric(10,2) NOT NULL, note text);
      CREATE TABLE tags (id integer PRIMARY KEY, label varchar(20) NOT NULL);
      CREATE TABLE app_migrations (name text PRIMARY KEY);
      INSERT INTO app_migrations VALUES ('0001_init'), ('0002_orders');
    `);
  } finally {
    await c.end();
  }
}

/** The project folder: pipelines/shop/pipeline.yaml and its mapping. */
export function writeShopProject(project: string): void {
  const files: Record<string, string> = {
    'pipelines/shop/pipeline.yaml': `name: shop
source:
  database: shop
target:
  database: shop
  schema: public
  keep: [app_migrations]
mapping: mappings/shop
`,
    'mappings/shop/shop.yaml': `version: 1
defaults:
  timezone: UTC
tables:
  customers:
    columns: { id: integer, name: text, created_at: timestamp }
  orders:
    columns: { id: integer, customer_id: integer, total: numeric, note: text }
  tags:
    columns: { id: integer, label: text }
`,
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
    writeFileSync(path.join(project, file), text);
  }
}

/** The source's checksums and table list: a rehearsal only reads the copy. */
export async function shopSourceChecksum(url: string): Promise<unknown> {
  const c = await mysql.createConnection({ uri: url });
  try {
    const [rows] = await c.query('CHECKSUM TABLE customers, orders, tags');
    const [tables] = await c.query(
      'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1',
    );
    return { rows, tables };
  } finally {
    await c.end();
  }
}
