import type { Command } from 'commander';

/** `steward server`: runs the API server and job workers until SIGINT or SIGTERM. */
export function serverCommand(program: Command): void {
  program
    .command('server')
    .description(
      'Run the Steward server (embedded store in the data directory unless STEWARD_DATABASE_URL is set)',
    )
    .option('-p, --port <port>', 'port to listen on (STEWARD_PORT, default 8080)')
    .option('--host <host>', 'address to listen on (STEWARD_HOST, default 0.0.0.0)')
    .option('-d, --data-dir <dir>', 'data directory (STEWARD_DATA_DIR, default ./.steward)')
    .action(async (flags: { port?: string; host?: string; dataDir?: string }) => {
      // Loaded here, not at the top, so client commands start without loading the server.
      const { resolveServerConfig } = await import('../../config.ts');
      const { startServer } = await import('../../server/start.ts');
      const server = await startServer(resolveServerConfig(flags, process.env));
      let signals = 0;
      const stop = (signal: NodeJS.Signals) => {
        signals++;
        if (signals > 1) process.exit(1);
        server.deps.logger.info({ signal }, 'shutting down');
        server.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
}
