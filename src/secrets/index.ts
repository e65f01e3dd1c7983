export * from './canary.ts';
export * from './envelope.ts';
export * from './keyring.ts';
