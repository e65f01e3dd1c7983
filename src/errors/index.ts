export * from './app-error.ts';
export * from './catalog.ts';
export * from './problem.ts';
export * from './safe-message.ts';
