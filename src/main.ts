import 'reflect-metadata';
import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp, SHUTDOWN_DEADLINE_MS } from './app.factory';
import { runPrimary } from './cluster/cluster-primary';
import { serveFromPrimary } from './cluster/cluster-worker';
import { AppConfig, ConfigError, parseConfig } from './config/app-config';
import { EmbeddedPostgres } from './embedded/embedded-postgres';
import { startEmbeddedMode } from './embedded/embedded-mode';

function loadConfig(): AppConfig {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

/**
 * SIGTERM/SIGINT: Nest's shutdown hooks stop accepting, let in-flight requests finish and close sockets
 * and pools; this waits for them, then stops the embedded database, and exits in any case within 10 s.
 */
function exitGracefully(app: NestFastifyApplication, embedded: EmbeddedPostgres | undefined, logger: Logger): void {
  let stopping = false;
  const onSignal = async (signal: NodeJS.Signals) => {
    // Nest re-raises the signal after its own cleanup; this listener keeps that from killing the process early
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: shutting down`);
    setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS).unref();
    await app.close();
    await embedded?.stop();
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, (s) => void onSignal(s));
}

function announce(config: AppConfig, url: string, logger: Logger): void {
  if (config.jwt.secretGenerated)
    logger.warn('JWT_SECRET is not set: tokens are signed with a random secret made at this boot (they stop working on restart)');
  if (!config.redisUrl) logger.warn('REDIS_URL is not set: in-process cache and broadcasting, one instance only');
  if (config.devTokens) logger.warn('Dev tokens are on: POST /api/auth/dev-token issues tokens to anyone');
  logger.log(`Score board: ${url}/`);
  logger.log(`Swagger UI: ${url}/api/docs`);
}

async function main(): Promise<void> {
  let config = loadConfig();
  if (config.workers > 1 && cluster.isPrimary) return runPrimary(config);
  const embedded = config.databaseUrl ? undefined : await startEmbeddedMode(config, process.env.EMBEDDED_DATA_DIR);
  if (embedded) config = embedded.config;
  const app = await createApp(config);
  const logger = new Logger('Bootstrap');
  embedded?.notes.forEach((note) => logger.warn(note));
  exitGracefully(app, embedded?.database, logger);
  if (cluster.isWorker) return serveFromPrimary(app);
  await app.listen(config.port, '0.0.0.0');
  announce(config, (await app.getUrl()).replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost'), logger);
}

main().catch((error: Error) => {
  process.stderr.write(`Failed to start: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
