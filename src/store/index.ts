export * from './data-dir-lock.ts';
export * from './migrate.ts';
export * from './open-store.ts';
export type * from './schema.ts';
