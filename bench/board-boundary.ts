/**
 * Child process: submissions at a steady rate to one board across its period boundaries, and a Socket.IO viewer
 * of the board's room. argv: url board rate seconds; env BENCH_JWT_SECRET, BENCH_USERS.
 * Result: every answer (actionId, status, period) and every push the viewer received (period, wall-clock time).
 */
import { sign } from 'jsonwebtoken';
import { io } from 'socket.io-client';

const [url, board, rate, seconds] = process.argv.slice(2);
const users = Number(process.env.BENCH_USERS ?? 10_000);
const secret = process.env.BENCH_JWT_SECRET!;
const token = (claims: object) => sign(claims, secret, { algorithm: 'HS256', expiresIn: 3600 });
/** Requests in flight at most: past it the client, not the service, would be the bottleneck (reported as `sent`). */
const MAX_IN_FLIGHT = 256;
const run = `${process.pid}-${Date.now().toString(36)}`;

interface Answer {
  actionId: string;
  status: number;
  period?: number;
}

async function submit(i: number, authorization: string, answers: Answer[]): Promise<void> {
  const actionId = `tick-${run}-${i}`;
  const body = JSON.stringify({ userId: 1 + Math.floor(Math.random() * users), score: 1 + Math.floor(Math.random() * 100), actionId });
  try {
    const response = await fetch(`${url}/api/boards/${board}/scores`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body,
    });
    const json = (await response.json()) as { period?: number };
    answers.push({ actionId, status: response.status, period: json.period });
  } catch {
    answers.push({ actionId, status: 0 });
  }
}

async function main(): Promise<void> {
  const socket = io(url, { transports: ['websocket'], auth: { token: token({}) }, reconnection: false });
  await new Promise<void>((resolve, reject) => socket.once('connect', () => resolve()).once('connect_error', reject));
  const pushes: { period: number; at: number }[] = [];
  socket.on('leaderboard:update', (snapshot: { period: number }) => pushes.push({ period: snapshot.period, at: Date.now() }));
  const ack = (await socket.timeout(5000).emitWithAck('subscribe', { room: `leaderboard:${board}` })) as { ok: boolean };
  if (!ack.ok) throw new Error(`subscribe: ${JSON.stringify(ack)}`);

  const authorization = `Bearer ${token({ scope: 'scores:write' })}`;
  const answers: Answer[] = [];
  const inFlight = new Set<Promise<void>>();
  const started = Date.now();
  let sent = 0;
  while (Date.now() - started < Number(seconds) * 1000) {
    const due = Math.floor(((Date.now() - started) / 1000) * Number(rate));
    for (; sent < due && inFlight.size < MAX_IN_FLIGHT; sent++) {
      const request = submit(sent, authorization, answers).finally(() => inFlight.delete(request));
      inFlight.add(request);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await Promise.all(inFlight);
  await new Promise((resolve) => setTimeout(resolve, 1500)); // a push for the last boundary may still be on its way
  socket.close();
  process.send!({ type: 'result', data: { seconds: Number(seconds), sent, answers, pushes } }, () => process.disconnect());
}

main().catch((error: Error) => {
  process.stderr.write(`board-boundary failed: ${error.stack}\n`);
  process.exit(1);
});
