import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { AppProcess, startAppProcess } from '../../test/support/app-process';
import { ROOT, stop } from './proc';

export interface Service {
  url: string;
  metrics(): Promise<Map<string, number>>;
  stop(): Promise<void>;
}

const running = new Set<AppProcess>();

/** Stops every service this run started (also after a failed measurement). */
export async function stopAllServices(): Promise<void> {
  await Promise.all([...running].map((app) => stop(app.process)));
}

export function build(): void {
  execFileSync('npx', ['nest', 'build'], { cwd: ROOT, stdio: 'inherit' });
}

/** Boots the built service (dist/main.js) as a child process, the way the tests run it, and waits until /health answers 200. */
export async function startService(env: Record<string, string>, mainJs = join(ROOT, 'dist', 'main.js')): Promise<Service> {
  // e.g. BENCH_SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the service under load
  const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const app = await startAppProcess(
    mainJs,
    { NODE_ENV: 'production', ...env },
    { inheritEnv: true, nodeArgs, echoStderr: true, timeoutMs: 60_000 },
  );
  running.add(app);
  app.process.once('exit', () => running.delete(app));
  return { url: app.url, metrics: () => scrape(app.url), stop: () => stop(app.process) };
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
