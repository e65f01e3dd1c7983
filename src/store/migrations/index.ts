import { sql as foundation } from './0001-foundation.ts';
import { sql as connections } from './0002-connections.ts';
import { sql as people } from './0003-people-and-metadata.ts';
import { sql as policies } from './0004-policies.ts';
import { sql as discovery } from './0005-discovery.ts';

/** One versioned migration: plain PostgreSQL 15 SQL applied in one transaction. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Every migration, in the order they apply. Never edit one that has shipped; add a new one. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'foundation', sql: foundation },
  { version: 2, name: 'connections', sql: connections },
  { version: 3, name: 'people-and-metadata', sql: people },
  { version: 4, name: 'policies', sql: policies },
  { version: 5, name: 'discovery', sql: discovery },
];
