import { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { Context, load } from './measure';
import { nextMessage, percentile, spawnScript, stop } from './proc';
import { Service } from './service';

const PER_PROCESS = 2500;
/** Probe submissions per second (for watched players: each measures one me:update delay), beside the load. */
const PROBE_RATE = 20;

/** One round: the load with nobody watching, then with the watchers connected (and their probes). */
export interface MeRound {
  without: { p50: number; p99: number; rps: number };
  with: { p50: number; p99: number; rps: number };
  /** with.p99 ÷ without.p99 */
  ratio: number;
}

export interface MeLoadResult {
  rate: number;
  watchers: number;
  rounds: MeRound[];
  /** The median round's ratio (the bound's figure) and that round. */
  ratio: number;
  median: MeRound;
  delayP50: number;
  delayP99: number;
  probes: number;
  missing: number;
  updates: number;
}

interface WatcherData {
  delays: number[];
  missing: number;
  failed: number;
  updates: number;
}

/**
 * The contract's bound (§9): `--me-rate` submissions/s (a steady open loop) land on the board of `users` players,
 * first with nobody watching, then with `--me-watchers` sockets watching `me` for as many distinct players:
 * submission latency both ways, and the me:update delay of probe submissions for watched players. After a warm-up
 * at the same rate (a fresh service: cold JIT and caches), `--me-rounds` rounds of both, each with new watchers
 * (their sockets closed between rounds), so the figure is the median of rounds, not one 10-second p99 on each side.
 */
export async function meLoad(ctx: Context, service: Service, users: number): Promise<MeLoadResult> {
  const { meWatchers: watchers, meRate: rate, meRounds, duration } = ctx.options;
  const warm = await load(ctx, service.url, 'submit', users, duration, { BENCH_RATE: String(rate) });
  ctx.log(`me: warm-up ${JSON.stringify(warm)}`);
  const rounds: MeRound[] = [];
  const data: WatcherData[] = [];
  let watching = 0;
  for (let round = 1; round <= meRounds; round++) {
    const ids = distinct(Math.min(watchers, users), users);
    watching = ids.length;
    const result = await meRound(ctx, service, users, ids, `${round}/${meRounds}`);
    rounds.push(result.round);
    data.push(...result.data);
  }
  const median = [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor((rounds.length - 1) / 2)];
  const delays = data.flatMap((d) => d.delays);
  return {
    rate,
    watchers: watching,
    rounds,
    ratio: median.ratio,
    median,
    delayP50: percentile(delays, 50),
    delayP99: percentile(delays, 99),
    probes: delays.length,
    missing: data.reduce((n, d) => n + d.missing + d.failed, 0),
    updates: data.reduce((n, d) => n + d.updates, 0),
  };
}

async function meRound(
  ctx: Context,
  service: Service,
  users: number,
  ids: number[],
  label: string,
): Promise<{ round: MeRound; data: WatcherData[] }> {
  const { meRate: rate, duration } = ctx.options;
  const env = { BENCH_RATE: String(rate) };
  let before = await service.metrics();
  let machine = machineTimes();
  const without = await load(ctx, service.url, 'submit', users, duration, env);
  ctx.log(
    `me ${label}: without watchers ${JSON.stringify(without)}; machine ${machineBusy(machine)}; ${changed(before, await service.metrics())}`,
  );
  const children: ChildProcess[] = [];
  try {
    for (let i = 0; i < ids.length; i += PER_PROCESS) {
      const child = spawnScript('me-watchers.ts', [service.url], { BENCH_JWT_SECRET: ctx.env.JWT_SECRET });
      // The 10,000 players' own clients (thousands of me:update a second to parse) would be 10,000 other machines:
      // here they share 2 cores with what is measured, so they yield the CPU to the service, its databases and
      // the load generator (their delays then include waiting for CPU: the me:update delay is an upper bound)
      setPriority(child.pid!, 19);
      children.push(child);
      child.send({ type: 'watch', ids: ids.slice(i, i + PER_PROCESS) });
    }
    await Promise.all(children.map((c) => nextMessage(c, 'connected', 600_000)));
    ctx.log(`me ${label}: ${ids.length} watchers subscribed`);
    const results = children.map((c) => nextMessage<{ data: WatcherData }>(c, 'result', 600_000));
    children.forEach((c, i) =>
      c.send({
        type: 'probe',
        ids: ids.slice(i * PER_PROCESS, (i + 1) * PER_PROCESS),
        rate: PROBE_RATE / children.length,
        seconds: duration,
      }),
    );
    before = await service.metrics();
    machine = machineTimes();
    // BENCH_ME_FROZEN_CLIENTS=1 (a diagnosis): the watcher clients are stopped (SIGSTOP) while the load runs, so the
    // service and the kernel do all of their part (pushes land in the stopped clients' socket buffers) but no client
    // parses anything; they resume afterwards (their probe delays then mean nothing)
    const frozen = process.env.BENCH_ME_FROZEN_CLIENTS === '1';
    if (frozen) children.forEach((c) => c.kill('SIGSTOP'));
    const loaded = await load(ctx, service.url, 'submit', users, duration, env).finally(() => {
      if (frozen) children.forEach((c) => c.kill('SIGCONT'));
    });
    const counters = `machine ${machineBusy(machine)}; ${changed(before, await service.metrics())}`;
    const data = (await Promise.all(results)).map((r) => r.data);
    const ratio = loaded.p99 / without.p99;
    ctx.log(`me ${label}: with watchers ${JSON.stringify(loaded)}; p99 ratio ${ratio.toFixed(2)}; ${counters}`);
    return { round: { without, with: loaded, ratio }, data };
  } finally {
    await Promise.all(children.map((c) => stop(c)));
  }
}

/**
 * What the service did meanwhile (from /metrics): CPU and GC seconds, rank lookups by source, me:updates and commits
 * as increments; its event loop's lag since the last scrape (prom-client resets it on every scrape).
 */
function changed(before: Map<string, number>, after: Map<string, number>): string {
  const counted =
    /^(process_cpu_seconds_total|nodejs_gc_duration_seconds_sum|rank_lookups_total|me_updates_total|score_commit_batch_size_count|http_request_duration_seconds_(sum|count)|change_feed_delay_seconds_(sum|count))/;
  const increments = [...after]
    .filter(([name]) => counted.test(name))
    .map(([name, value]) => `${name} +${Math.round((value - (before.get(name) ?? 0)) * 100) / 100}`);
  const lag = ['p50', 'p99', 'max'].map((p) => `${p} ${Math.round((after.get(`nodejs_eventloop_lag_${p}_seconds`) ?? 0) * 1000)} ms`);
  return `${increments.join(', ')}; event loop lag ${lag.join(', ')}`;
}

/** All cores' [busy, total] jiffies so far (/proc/stat). */
function machineTimes(): [number, number] {
  const [, ...times] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const idle = times[3] + times[4]; // idle + iowait
  const total = times.reduce((a, b) => a + b, 0);
  return [total - idle, total];
}

/** How busy the machine's cores were since `from`, e.g. "93% busy". */
function machineBusy(from: [number, number]): string {
  const [busy, total] = machineTimes();
  return `${Math.round(((busy - from[0]) * 100) / (total - from[1]))}% busy`;
}

/** `count` distinct player ids out of 1…users, spread over the whole board. */
function distinct(count: number, users: number): number[] {
  const ids = new Set<number>();
  while (ids.size < count) ids.add(1 + Math.floor(Math.random() * users));
  return [...ids];
}
