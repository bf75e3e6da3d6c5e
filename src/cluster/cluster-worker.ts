import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { setupWorker } from '@socket.io/sticky';
import { RealtimeGateway } from '../realtime/realtime.gateway';

/** What a worker sends the primary once it can serve (see cluster-primary.ts). */
export const WORKER_READY = 'scoreboard:ready';

/**
 * A cluster worker does not listen: the primary accepts every connection and hands it over (@socket.io/sticky),
 * so that the requests of one Engine.IO polling session (same `sid`) all reach the process that holds it.
 */
export async function serveFromPrimary(app: NestFastifyApplication): Promise<void> {
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  setupWorker(app.get(RealtimeGateway).server);
  // The primary is gone (crashed or killed): nobody hands us connections any more, so shut down cleanly
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  process.send!({ type: WORKER_READY });
}
