import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { setupWorker } from '@socket.io/sticky';
import { Server } from 'socket.io';
import { RealtimeGateway } from '../realtime/realtime.gateway';

/** What a worker sends the primary once it can serve (see cluster-primary.ts). */
export const WORKER_READY = 'scoreboard:ready';
/** A worker asks the primary to answer once it has read every earlier message (the sid's route): `{ type, sid }`. */
export const SID_ROUTED = 'scoreboard:sid-routed';
/** How long a handshake waits for the primary's echo before it goes on anyway (a busy primary must not stall it). */
const ROUTE_WAIT_MS = 1000;

/**
 * A cluster worker does not listen: the primary accepts every connection and hands it over (@socket.io/sticky),
 * so that the requests of one Engine.IO polling session (same `sid`) all reach the process that holds it.
 */
export async function serveFromPrimary(app: NestFastifyApplication): Promise<void> {
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const io = app.get(RealtimeGateway).server;
  setupWorker(io);
  routeBeforeAnswering(io.engine);
  // The primary is gone (crashed or killed): nobody hands us connections any more, so shut down cleanly
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  process.send!({ type: WORKER_READY });
}

/**
 * @socket.io/sticky tells the primary which worker holds a session once the handshake has been answered, so a
 * client that sends its next request at once (on a new connection: workers answer `Connection: close`) can reach
 * the primary first, be sent to the other worker and get 400 "Session ID unknown" (the likely cause of
 * one CI failure under load; test/workers.e2e-spec.ts shows it by delaying the worker's messages). Here the
 * route is told first: the session id is sent as sticky's own message, then the primary echoes SID_ROUTED (it
 * reads a worker's messages in order), and only then does the handshake go on and answer.
 */
function routeBeforeAnswering(engine: Server['engine']): void {
  const routed = new Map<string, () => void>();
  process.on('message', (message: { type?: string; sid?: string }) => {
    if (message.type === SID_ROUTED) routed.get(message.sid!)?.();
  });
  const generateId = engine.generateId.bind(engine);
  engine.generateId = async (req) => {
    const sid = await generateId(req);
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        routed.delete(sid);
        resolve();
      };
      const timer = setTimeout(done, ROUTE_WAIT_MS);
      routed.set(sid, done);
      process.send!({ type: 'sticky:connection', data: sid });
      process.send!({ type: SID_ROUTED, sid });
    });
    return sid;
  };
}
