import { CreateDateColumn, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { AlkemioDialect, DialectTypes, dialectTypes } from './dialect';

/** The columns every Alkemio table starts with. */
export interface AlkemioBase {
  id: string;
  createdDate: Date;
  updatedDate: Date;
  version: number;
}

export type AlkemioBaseClass = abstract new () => AlkemioBase;

/**
 * What an entity definer needs. Entities are defined by functions, once per dialect, because
 * TypeORM reads column types from decorators when the class is declared: one class set can
 * describe only one dialect, and a process (the baseline test) needs both.
 */
export interface EntityKit {
  readonly dialect: AlkemioDialect;
  readonly types: DialectTypes;
  readonly Base: AlkemioBaseClass;
  /** The entity class of a table, resolved lazily so definers can reference each other in any order. */
  entity(table: string): Function;
}

export function createEntityKit(dialect: AlkemioDialect, lookup: (table: string) => Function | undefined): EntityKit {
  return {
    dialect,
    types: dialectTypes(dialect),
    Base: defineBase(dialect),
    entity(table: string): Function {
      const found = lookup(table);
      // A typo in a relation would otherwise surface as an obscure TypeORM metadata error.
      if (!found) throw new Error(`Alkemio entity for table "${table}" is not defined`);
      return found;
    },
  };
}

function defineBase(dialect: AlkemioDialect): AlkemioBaseClass {
  // Postgres generates ids in the database (uuid-ossp), as Alkemio's baseline did; the MySQL
  // legacy schema stored client-generated ids in char(36).
  const IdColumn =
    dialect === 'postgres' ? PrimaryGeneratedColumn('uuid') : PrimaryColumn({ type: 'char', length: 36 });

  abstract class BaseAlkemioEntity implements AlkemioBase {
    @IdColumn
    id!: string;

    @CreateDateColumn()
    createdDate!: Date;

    @UpdateDateColumn()
    updatedDate!: Date;

    @VersionColumn()
    version!: number;
  }
  return BaseAlkemioEntity;
}
