import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort, ROOT, sleep, stop } from './proc';

export interface Service {
  url: string;
  process: ChildProcess;
  metrics(): Promise<Map<string, number>>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Stops every service this run started (also after a failed measurement). */
export async function stopAllServices(): Promise<void> {
  await Promise.all([...running].map((child) => stop(child)));
}

export function build(): void {
  execFileSync('npx', ['nest', 'build'], { cwd: ROOT, stdio: 'inherit' });
}

/** Boots the built service (dist/main.js) as a child process and waits until /health answers 200. */
export async function startService(env: Record<string, string>): Promise<Service> {
  const port = await freePort();
  // e.g. BENCH_SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the service under load
  const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'dist', 'main.js')], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (i > 600) throw new Error('service did not become healthy');
    await sleep(100);
  }
  return { url, process: child, metrics: () => scrape(url), stop: () => stop(child) };
}

/** Prometheus text → sum per metric name with labels (e.g. `score_submissions_total{outcome="applied"}`). */
async function scrape(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return values;
}
