import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { join } from 'node:path';
import { AppProcess, buildApp, childPids, isAlive, startAppProcess } from './support/app-process';
import { onTeardown, startTestDatabase } from './support/fixture';
import { TEST_REDIS_URL } from './support/redis-server';
import { waitUntil } from './support/wait';
import { connectSocket, emitWithAck, nextEvent, Socket } from './support/socket';
import { backendToken, playerToken } from './support/tokens';

type Update = { version: number; data: { id: number; score: number }[] };

describe('WORKERS=2: one port, two full instances (node:cluster)', () => {
  let app: AppProcess;
  let workers: number[];
  const sockets: Socket[] = [];

  const post = (path: string, body: unknown) =>
    fetch(app.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${backendToken()}` },
      body: JSON.stringify(body),
    });
  /** Process ids that wrote a request log line for `path` (LOG_LEVEL=info logs one line per request). */
  const servedBy = (path: string) =>
    new Set(
      app
        .output()
        .split('\n')
        .filter((line) => line.includes(`"path":"${path}"`))
        .map((line) => JSON.parse(line).pid as number),
    );

  beforeAll(async () => {
    ({ app, workers } = await startWorkers({ LOG_LEVEL: 'info' }));
    onTeardown(() => sockets.forEach((socket) => socket.close()));
  }, 120_000);

  it('forks two workers and both serve HTTP on the one port', async () => {
    expect(workers).toHaveLength(2);
    for (let i = 0; i < 6; i++) expect((await fetch(`${app.url}/api/leaderboard`)).status).toBe(200);
    await waitUntil('request log lines', () => servedBy('/api/leaderboard').size > 0, 5000);
    expect([...servedBy('/api/leaderboard')].sort()).toEqual([...workers].sort());
  });

  it('keeps long-polling Socket.IO sessions on their worker, and pushes a submission made on any worker to all', async () => {
    const ann = (await (await post('/api/users', { name: 'Ann' })).json()) as { id: number };
    // Default transports (polling first, then the upgrade) and polling only: round-robin spreads them over both workers
    for (const transports of [undefined, undefined, undefined, ['polling'], ['polling']] as const) {
      sockets.push(
        await connectSocket(app.url, playerToken(ann.id), { transports: transports ? [...transports] : ['polling', 'websocket'] }),
      );
    }
    for (const socket of sockets) expect(await emitWithAck(socket, 'subscribe', { room: 'leaderboard' })).toMatchObject({ ok: true });
    // Record before sending: the push can race the HTTP answer
    const pushes = sockets.map((socket) =>
      nextEvent<Update>(socket, 'leaderboard:update', 10_000, (u) => u.data.some((e) => e.id === ann.id && e.score === 7)),
    );
    expect((await post(`/api/users/${ann.id}/score`, { score: 7 })).status).toBe(200);
    expect(await Promise.all(pushes)).toHaveLength(sockets.length);
    expect(sockets.map((socket) => socket.connected)).toEqual(sockets.map(() => true));
    expect(sockets.slice(3).map((socket) => socket.io.engine.transport.name)).toEqual(['polling', 'polling']);
  });

  it('SIGTERM to the primary stops every worker, and the primary exits with 0', async () => {
    expect(workers.every(isAlive)).toBe(true);
    await app.kill('SIGTERM');
    expect(app.process.exitCode).toBe(0);
    expect(workers.filter(isAlive)).toEqual([]);
  });
});

describe('WORKERS=2 with a worker descheduled right after answering (its messages to the primary 50 ms late)', () => {
  let app: AppProcess;

  beforeAll(async () => {
    const preload = join(__dirname, 'support', 'slow-worker-ipc.cjs');
    ({ app } = await startWorkers({}, ['--require', preload]));
  }, 120_000);

  it("answers a new polling session's next request on its own worker, however soon it comes", async () => {
    // The primary learns over IPC which worker holds a session: were the handshake answered first, a request sent
    // at once (a new connection: workers answer Connection: close) would be routed round-robin, to the other
    // worker half the time, and answered 400 "Session ID unknown"
    const polling = '/socket.io/?EIO=4&transport=polling';
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) {
      const { sid } = JSON.parse((await httpRequest(app, 'GET', polling)).body.slice(1)) as { sid: string };
      const res = await httpRequest(app, 'POST', `${polling}&sid=${sid}`, '40');
      answers.push(`${res.status} ${res.body}`);
    }
    expect(answers).toEqual(Array.from({ length: 6 }, () => '200 ok'));
  });
});

/** A WORKERS=2 service on a database of its own (built from this checkout), killed with its workers at teardown. */
async function startWorkers(extraEnv: Record<string, string>, nodeArgs: string[] = []): Promise<{ app: AppProcess; workers: number[] }> {
  const [build, db] = await Promise.all([buildApp(), startTestDatabase()]);
  onTeardown(() => build.remove());
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: `test:${randomBytes(4).toString('hex')}:`,
    WORKERS: '2',
    ...extraEnv,
  };
  const app = await startAppProcess(build.mainJs, env, { nodeArgs });
  const workers = childPids(app.process.pid!);
  onTeardown(async () => {
    await app.kill('SIGKILL');
    for (const pid of workers) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  });
  return { app, workers };
}

/** One request on a connection of its own (no agent), the way a polling client's requests reach the primary. */
function httpRequest(app: AppProcess, method: string, path: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(app.url + path, { method, agent: false, headers: body ? { 'content-type': 'text/plain' } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject).end(body);
  });
}
