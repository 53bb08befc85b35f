import type { Client } from 'pg';

/** Explicit transaction steps, for stages whose transaction spans their own checks (rollback). */
export async function beginTransaction(client: Client): Promise<void> {
  await client.query('BEGIN');
}

export async function commitTransaction(client: Client): Promise<void> {
  await client.query('COMMIT');
}

export async function rollbackTransaction(client: Client): Promise<void> {
  await client.query('ROLLBACK');
}

/** A savepoint inside the caller's transaction, to undo part of it (rollbackToSavepoint). */
export async function savepoint(client: Client, name: string): Promise<void> {
  await client.query(`SAVEPOINT ${name}`);
}

export async function rollbackToSavepoint(client: Client, name: string): Promise<void> {
  await client.query(`ROLLBACK TO SAVEPOINT ${name}`);
}
