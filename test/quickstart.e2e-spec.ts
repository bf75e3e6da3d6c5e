import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AppBuild, buildApp } from './support/app-process';
import { ARTIFACTS_DIR } from './support/browser';
import { onTeardown } from './support/fixture';
import { freePort } from './support/ports';
import { connectSocket } from './support/socket';
import { waitUntil } from './support/wait';

/** Starting a compiled app on PGlite takes longer than the e2e project's timeout. */
const SLOW = 60_000;

interface Running {
  child: ChildProcess;
  url: string;
  logs(): Array<{ level: number; msg: string }>;
  exited: Promise<{ code: number | null; ms: number }>;
  stop(): Promise<{ code: number | null; ms: number }>;
}

/** `npm start` without DATABASE_URL / REDIS_URL, as a real process of the compiled app. */
async function startEmbedded(build: AppBuild, dataDir: string): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, [build.mainJs], {
    cwd: join(build.mainJs, '..'),
    env: { PATH: process.env.PATH ?? '', PORT: String(port), EMBEDDED_DATA_DIR: dataDir, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (out += chunk));
  let signalledAt = 0;
  const exited = new Promise<{ code: number | null; ms: number }>((done) =>
    child.once('exit', (code) => done({ code, ms: Date.now() - signalledAt })),
  );
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(
    `the embedded app (output: ${out.slice(-2000)})`,
    () => {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${out}`);
      return out.includes('Swagger UI:');
    },
    45_000,
  );
  const logs = () =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
  const stop = () => ((signalledAt = Date.now()), child.kill('SIGTERM'), exited);
  return { child, url, logs, exited, stop };
}

const json = async (url: string, init?: RequestInit) => {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...(init?.headers ?? {}) } });
  const body: any = await res.json().catch(() => undefined);
  return { status: res.status, body, res };
};

describe('quickstart: npm start with nothing configured', () => {
  let build: AppBuild;
  let dataDir: string;

  beforeAll(async () => {
    build = await buildApp();
    onTeardown(() => build.remove());
    dataDir = mkdtempSync(join(ARTIFACTS_DIR, 'pglite-'));
    onTeardown(() => rmSync(dataDir, { recursive: true, force: true }));
  }, 120_000);

  it(
    'runs everything on PGlite with demo players, the page, Swagger and dev tokens; exits cleanly on SIGTERM',
    async () => {
      const app = await startEmbedded(build, dataDir);
      try {
        const messages = app.logs().map((l) => l.msg);
        expect(messages).toContain(`DEVELOPMENT MODE: embedded PostgreSQL (PGlite), data in ${dataDir}`);
        expect(messages).toContain('Empty database: added 12 demo players');
        expect(messages).toEqual(
          expect.arrayContaining([
            expect.stringMatching(/^Score board: http:\/\/localhost:\d+\/$/),
            expect.stringMatching(/^Swagger UI: .*\/api\/docs$/),
          ]),
        );
        expect(messages.some((m) => m.startsWith('JWT_SECRET is not set'))).toBe(true);

        const page = await fetch(`${app.url}/`);
        expect(page.headers.get('content-type')).toContain('text/html');
        expect(await page.text()).toContain('<table id="board"');
        expect((await fetch(`${app.url}/api/docs`)).status).toBe(200);
        expect((await json(`${app.url}/api/config`)).body).toEqual({ devTokens: true, scoreMaxIncrement: 1000 });
        expect((await json(`${app.url}/health`)).body).toMatchObject({
          status: 'ok',
          details: { database: { status: 'up' }, redis: { status: 'up', mode: 'in-process' } },
        });

        const board = (await json(`${app.url}/api/leaderboard`)).body;
        expect(board.data.map((e: { name: string }) => e.name).slice(0, 2)).toEqual(['Marcus', 'Ada']);
        const { body: token } = await json(`${app.url}/api/auth/dev-token`, { method: 'POST', body: JSON.stringify({ sub: '12' }) });
        const scored = await json(`${app.url}/api/users/12/score`, {
          method: 'POST',
          body: JSON.stringify({ score: 999, actionId: 'qs-1' }),
          headers: { authorization: `Bearer ${token.accessToken}` },
        });
        expect(scored).toMatchObject({ status: 200, body: { name: 'Radia', score: 1039, applied: true } });

        // An open socket must not hold the shutdown up
        const socket = await connectSocket(app.url, token.accessToken);
        const disconnected = new Promise((done) => socket.once('disconnect', done));
        const { code, ms } = await app.stop();
        expect(code).toBe(0);
        expect(ms).toBeLessThan(10_000);
        await disconnected;
      } finally {
        app.child.kill('SIGKILL');
      }
    },
    SLOW,
  );

  it(
    'keeps its data in the folder across restarts and adds no demo players the second time',
    async () => {
      const app = await startEmbedded(build, dataDir);
      try {
        expect(app.logs().map((l) => l.msg)).not.toContain('Empty database: added 12 demo players');
        expect((await json(`${app.url}/api/users/12`)).body).toMatchObject({ name: 'Radia', score: 1039 });
        expect((await app.stop()).code).toBe(0);
      } finally {
        app.child.kill('SIGKILL');
      }
    },
    SLOW,
  );

  it(
    'is refused in production: no embedded database, no dev tokens',
    async () => {
      const refuse = (env: Record<string, string>) =>
        new Promise<{ code: number | null; err: string }>((done) => {
          const child = spawn(process.execPath, [build.mainJs], {
            env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
            stdio: ['ignore', 'ignore', 'pipe'],
          });
          let err = '';
          child.stderr.on('data', (chunk) => (err += chunk));
          child.once('exit', (code) => done({ code, err }));
        });
      const noDatabase = await refuse({});
      expect(noDatabase.code).toBe(1);
      expect(noDatabase.err.trim()).toBe('Invalid configuration: DATABASE_URL is required when NODE_ENV=production');
      const devTokens = await refuse({
        DATABASE_URL: 'postgres://x@127.0.0.1:1/x',
        REDIS_URL: 'redis://127.0.0.1:1',
        JWT_SECRET: 'x'.repeat(40),
        DEV_TOKENS: 'true',
      });
      expect(devTokens.code).toBe(1);
      expect(devTokens.err).toContain('DEV_TOKENS');
    },
    SLOW,
  );
});
