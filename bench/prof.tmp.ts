import { spawn } from 'node:child_process';
import { createBenchDatabase } from './lib/database';
import { runScript, sleep, freePort } from './lib/proc';
async function main() {
  const db = await createBenchDatabase('postgres://postgres@127.0.0.1:5432/postgres');
  try {
    await db.seed(2000);
    const port = await freePort();
    const secret = 'x'.repeat(40);
    const child = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir=/tmp/prof', 'dist/main.js'], { env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', PORT: String(port), DATABASE_URL: db.url, REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: 'prof:', JWT_SECRET: secret, SCORE_RATE_LIMIT: '0', IP_RATE_LIMIT: '0', ...(process.env.EXTRA ? JSON.parse(process.env.EXTRA) : {}) }, stdio: 'inherit' });
    for (;;) { if (await fetch(`http://127.0.0.1:${port}/health`).then(r => r.ok, () => false)) break; await sleep(100); }
    await sleep(1000);
    const r = await runScript('load-http.ts', [`http://127.0.0.1:${port}`, process.env.MODE ?? 'submit', '64', '8'], { BENCH_JWT_SECRET: secret, BENCH_USERS: '2000' });
    console.log(JSON.stringify(r));
    child.kill('SIGINT');
    await new Promise(r => child.once('exit', r));
  } finally { await db.drop(); }
}
main();
