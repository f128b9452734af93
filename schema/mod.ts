// schema: tables of record, migrations and the database factory.
export * as tables from './tables.ts';
export * as partitioned from './partitioned.ts';
export * from './db.ts';
