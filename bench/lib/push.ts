import { ChildProcess } from 'node:child_process';
import { nextMessage, now, percentile, sleep, spawnScript, stop } from './proc';

type Post = [id: number, score: number, answeredAt: number];
/** Sends one change that moves a top-10 player; resolves with what was answered and when. */
export type Submit = (id: number) => Promise<Post | undefined>;

export interface PushOptions {
  url: string;
  token: string;
  viewers: number;
  submit: Submit;
  topIds: number[];
  /** Either a steady rate for `seconds`, or `count` submissions `gapMs` apart. */
  rate?: number;
  seconds?: number;
  count?: number;
  gapMs?: number;
  /** Called once every viewer is subscribed (e.g. to read the server's memory). */
  onConnected?: () => Promise<void>;
}

export interface PushResult {
  p50: number;
  p99: number;
  lastP99: number;
  missing: number;
  posts: number;
  /** Submissions that failed (no answer). */
  failed: number;
}

const PER_PROCESS = 1250;
let failures = 0;

async function sendAll(options: PushOptions): Promise<Post[]> {
  const posts: Promise<Post | undefined>[] = [];
  const total = options.count ?? Math.round((options.rate ?? 100) * (options.seconds ?? 5));
  const gap = options.gapMs ?? 1000 / (options.rate ?? 100);
  const started = now();
  for (let i = 0; i < total; i++) {
    const wait = started + i * gap - now();
    if (wait > 0) await sleep(wait);
    // A failed submission has no answer time: it is left out (and counted in `failed`)
    posts.push(options.submit(options.topIds[i % options.topIds.length]).catch(() => undefined));
  }
  const answered = (await Promise.all(posts)).filter((p): p is Post => p !== undefined);
  failures += total - answered.length;
  return answered;
}

/** Viewers in child processes, submissions from here; latency = receipt − the submission's answer. */
export async function measurePush(options: PushOptions): Promise<PushResult> {
  const children: ChildProcess[] = [];
  failures = 0;
  try {
    for (let left = options.viewers; left > 0; left -= PER_PROCESS) {
      children.push(spawnScript('viewers.ts', [options.url, String(Math.min(PER_PROCESS, left)), options.token]));
    }
    await Promise.all(children.map((c) => nextMessage(c, 'connected', 300_000)));
    await options.onConnected?.();
    const posts = await sendAll(options);
    await sleep(2000); // let the last pushes arrive
    const results = await Promise.all(
      children.map((c) => {
        const result = nextMessage<{ data: { latencies: number[]; missing: number; last: number[] } }>(c, 'result');
        c.send({ type: 'report', posts });
        return result;
      }),
    );
    const latencies = results.flatMap((r) => r.data.latencies).filter((l) => !Number.isNaN(l));
    const last = posts.map((_, p) => Math.max(...results.map((r) => r.data.last[p])));
    return {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      lastP99: percentile(last, 99),
      missing: results.reduce((n, r) => n + r.data.missing, 0),
      posts: posts.length,
      failed: failures,
    };
  } finally {
    await Promise.all(children.map((c) => stop(c)));
  }
}
