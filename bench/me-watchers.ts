/**
 * Child process: Socket.IO players watching their own standing (`me` room). On `watch` {ids} each id gets a socket
 * with its own token; on `probe` {rate, seconds} it submits for random watched players (scores:write) and measures
 * each me:update delay: receipt of the first update showing the new score − the submission's answer.
 * argv: url; env BENCH_JWT_SECRET.
 */
import { createSecretKey } from 'node:crypto';
import { sign } from 'jsonwebtoken';
import { io, Socket } from 'socket.io-client';

const [url] = process.argv.slice(2);
const secret = createSecretKey(Buffer.from(process.env.BENCH_JWT_SECRET!));
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sockets: Socket[] = [];
/** Per watched id: [score, answered at] of probes not yet seen in a me:update. */
const waiting = new Map<number, [number, number][]>();
const delays: number[] = [];
let updates = 0;

function watch(id: number): Promise<void> {
  const socket = io(url, {
    transports: ['websocket'],
    auth: { token: sign({ sub: String(id) }, secret, { algorithm: 'HS256', expiresIn: 3600 }) },
    reconnection: false,
    forceNew: true,
  });
  sockets.push(socket);
  socket.on('me:update', (me: { score: number | null }) => {
    updates++;
    const at = now();
    const pending = waiting.get(id) ?? [];
    const seen = pending.filter(([score]) => me.score !== null && me.score >= score);
    seen.forEach(([, answeredAt]) => delays.push(at - answeredAt));
    waiting.set(
      id,
      pending.filter((p) => !seen.includes(p)),
    );
  });
  return new Promise((resolve, reject) => {
    socket.on('connect_error', reject);
    socket.on('connect', () =>
      socket.emit('subscribe', { room: 'me' }, (ack: { ok: boolean }) => (ack.ok ? resolve() : reject(new Error(JSON.stringify(ack))))),
    );
  });
}

async function probe(ids: number[], rate: number, seconds: number): Promise<number> {
  const backend = `Bearer ${sign({ scope: 'scores:write' }, secret, { algorithm: 'HS256', expiresIn: 3600 })}`;
  const started = now();
  const posts: Promise<void>[] = [];
  let failed = 0;
  for (let i = 0; i < Math.round(rate * seconds); i++) {
    const wait = started + (i * 1000) / rate - now();
    if (wait > 0) await sleep(wait);
    const id = ids[Math.floor(Math.random() * ids.length)];
    const post = fetch(`${url}/api/users/${id}/score`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: backend },
      body: '{"score":1}',
    })
      .then(async (response) => {
        if (!response.ok) throw new Error(String(response.status));
        const { score } = (await response.json()) as { score: number };
        waiting.set(id, [...(waiting.get(id) ?? []), [score, now()]]);
      })
      .catch(() => void failed++);
    posts.push(post);
  }
  await Promise.all(posts);
  return failed;
}

process.on('message', (message: { type: string; ids?: number[]; rate?: number; seconds?: number }) => {
  if (message.type === 'watch') {
    void (async () => {
      const ids = message.ids!;
      for (let i = 0; i < ids.length; i += 50) await Promise.all(ids.slice(i, i + 50).map(watch));
      process.send!({ type: 'connected' });
    })().catch((error: Error) => {
      process.stderr.write(`me-watchers: ${error.message}\n`);
      process.exit(1);
    });
  } else if (message.type === 'probe') {
    void (async () => {
      const failed = await probe(message.ids!, message.rate!, message.seconds!);
      await sleep(3000); // the last updates: within a tick or two
      const missing = [...waiting.values()].reduce((n, pending) => n + pending.length, 0);
      sockets.forEach((socket) => socket.close());
      process.send!({ type: 'result', data: { delays, missing, failed, updates } }, () => process.disconnect());
    })();
  }
});
