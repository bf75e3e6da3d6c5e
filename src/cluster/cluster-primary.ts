import cluster, { Worker } from 'node:cluster';
import { createServer, Server } from 'node:http';
import { setupMaster } from '@socket.io/sticky';
import pino, { Logger } from 'pino';
import { SHUTDOWN_DEADLINE_MS } from '../app.factory';
import { AppConfig } from '../config/app-config';
import { SID_ROUTED, WORKER_READY } from './cluster-worker';

/**
 * WORKERS > 1: this process only accepts connections and hands each to a worker (a full instance with its own
 * pools; the workers share PostgreSQL and Redis like separate instances). Plain cluster round-robin would break
 * Socket.IO long-polling, whose requests must all reach the process holding the session: @socket.io/sticky
 * reads each connection's first request and sends one carrying a known `sid` to that session's worker.
 */
export async function runPrimary(config: AppConfig): Promise<void> {
  const logger = pino({ level: config.logLevel }).child({ context: 'Cluster' });
  // The first chunk of each connection travels with its handle as a Buffer: 'advanced' keeps it one
  cluster.setupPrimary({ serialization: 'advanced' });
  const server = createServer();
  setupMaster(server, { loadBalancingMethod: 'round-robin' });
  // A worker's session id is routed (sticky's message, read just before this one): the handshake may answer
  cluster.on('message', (worker, message: { type?: string; sid?: string }) => {
    if (message.type === SID_ROUTED) worker.send({ type: SID_ROUTED, sid: message.sid });
  });
  const workers = new Workers(logger);
  stopOnSignal(server, workers, logger);
  try {
    // One worker first, so the migrations run once; then the others, without
    await workers.fork({});
    await Promise.all(Array.from({ length: config.workers - 1 }, () => workers.fork({ MIGRATIONS_RUN: 'false' })));
  } catch (error) {
    if (workers.stopping) return; // a signal during boot: stopOnSignal exits
    await failed(error as Error, workers, logger);
  }
  server.once('error', (error) => void failed(error, workers, logger));
  server.listen(config.port, '0.0.0.0', () => logger.info(`${config.workers} workers on port ${config.port}`));
}

/** A worker could not boot, or the port could not be bound: stop the others and exit like a failed boot. */
async function failed(error: Error, workers: Workers, logger: Logger): Promise<never> {
  logger.error(`Failed to start: ${error.message}`);
  await workers.stopAll();
  process.exit(1);
}

/** The worker processes: forked until ready, replaced if one dies while serving, stopped together. */
class Workers {
  stopping = false;

  constructor(private readonly logger: Logger) {}

  /** Resolves once the worker can serve; rejects if it exits first (e.g. PostgreSQL unreachable at boot). */
  fork(env: Record<string, string>): Promise<Worker> {
    const worker = cluster.fork(env);
    let ready = false;
    return new Promise((resolve, reject) => {
      worker.on('message', (message: { type?: string }) => {
        if (message.type !== WORKER_READY) return;
        ready = true;
        resolve(worker);
      });
      worker.once('exit', (code, signal) => {
        if (!ready) reject(new Error(`worker ${worker.process.pid} exited during boot (${signal ?? code})`));
        else if (!this.stopping) this.replace(worker, code, signal);
      });
    });
  }

  /** SIGTERM to every worker (each finishes its in-flight requests and closes its pools); resolves when all exited. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    const running = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined && !worker.isDead());
    await Promise.all(
      running.map(
        (worker) =>
          new Promise((done) => {
            worker.once('exit', done);
            worker.process.kill('SIGTERM');
          }),
      ),
    );
  }

  private replace(worker: Worker, code: number, signal: string | null): void {
    this.logger.warn(`worker ${worker.process.pid} died (${signal ?? code}): starting another`);
    this.fork({ MIGRATIONS_RUN: 'false' }).catch((error: Error) => this.logger.error(error.message));
  }
}

/** SIGTERM/SIGINT: stop accepting, stop every worker, exit; within the same 10 s deadline as one process. */
function stopOnSignal(server: Server, workers: Workers, logger: Logger): void {
  const onSignal = async (signal: NodeJS.Signals) => {
    if (workers.stopping) return;
    logger.info(`${signal}: stopping the workers`);
    setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS).unref();
    server.close();
    await workers.stopAll();
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, (s) => void onSignal(s));
}
