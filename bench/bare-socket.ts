/**
 * Child process: the limit for pushes, a bare Socket.IO server that broadcasts the same snapshot shape.
 * POST /emit?id=&score= changes one entry, emits `leaderboard:update` to the room, then answers with the time it started.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const snapshot = JSON.parse(process.env.BENCH_SNAPSHOT!) as {
  version: number;
  hash: string;
  updatedAt: string;
  data: { id: number; score: number }[];
};

const http = createServer((request, response) => {
  const query = new URL(request.url!, 'http://x').searchParams;
  const entry = snapshot.data.find((e) => e.id === Number(query.get('id')));
  if (entry) entry.score = Number(query.get('score'));
  snapshot.version++;
  snapshot.updatedAt = new Date().toISOString();
  snapshot.hash = createHash('md5').update(JSON.stringify(snapshot.data)).digest('hex');
  // The reference time: the change is known and the broadcast starts (the service's is its commit answer)
  const at = performance.timeOrigin + performance.now();
  io.to('leaderboard').emit('leaderboard:update', snapshot);
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ id: entry?.id, score: entry?.score, at }));
});
http.keepAliveTimeout = 60_000;
const io = new Server(http, { maxHttpBufferSize: 16 * 1024 });
io.on('connection', (socket) => {
  socket.on('subscribe', async (_payload: unknown, ack: (reply: unknown) => void) => {
    await socket.join('leaderboard');
    ack({ ok: true, snapshot });
  });
});
http.listen(0, '127.0.0.1', () => process.send!({ type: 'ready', port: (http.address() as { port: number }).port }));
process.on('SIGTERM', () => process.exit(0));
