import { boot, Context, load, Load } from './measure';
import { num, Row } from './report';

const ratio = (a: number, b: number) => (b ? a / b : NaN);

/** With WORKERS=1 and the per-IP limiter off (the bench's default service), measured by measure-all. */
export interface Baseline {
  submit: Load & { cpuMs: number };
  get: Load & { cpuMs: number };
  /** GET /api/leaderboard with If-None-Match = the current ETag, on the same service. */
  conditional: Load;
}

export interface ScaleResult {
  submit2: Load;
  get2: Load;
  limited: Load;
}

/** Boots WORKERS=2, then WORKERS=1 with the per-IP limiter on, one at a time, each measured like the baseline. */
export async function measureScale(ctx: Context): Promise<ScaleResult> {
  ctx.log('service: WORKERS=2 (node:cluster, @socket.io/sticky in the primary)');
  let service = await boot(ctx, { WORKERS: '2' });
  const submit2 = await load(ctx, service.url, 'submit');
  const get2 = await load(ctx, service.url, 'get');
  await service.stop();
  ctx.log(`WORKERS=2: submissions ${JSON.stringify(submit2)}; leaderboard ${JSON.stringify(get2)}`);
  // On, but never reached from the one load-generator IP: every read is counted, none refused
  ctx.log('service: per-IP limiter on (IP_RATE_LIMIT=1000000)');
  service = await boot(ctx, { IP_RATE_LIMIT: '1000000' });
  const limited = await load(ctx, service.url, 'get');
  await service.stop();
  ctx.log(`limiter on: leaderboard ${JSON.stringify(limited)}`);
  return { submit2, get2, limited };
}

export function scaleRows(ctx: Context, base: Baseline, scale: ScaleResult): Row[] {
  const c = ctx.options.connections;
  const withLatency = (run: Load) => `${num(run.rps)} (p50 / p99 ${run.p50} / ${run.p99} ms)`;
  return [
    {
      figure: `score submissions/s, WORKERS=2, ${c} connections`,
      value: withLatency(scale.submit2),
      limit: `WORKERS=1 ${num(base.submit.rps)}/s`,
      ratio: num(ratio(scale.submit2.rps, base.submit.rps), 2),
      target: 'report (2 cores shared with PostgreSQL, Redis, load)',
    },
    {
      figure: 'GET /api/leaderboard/s, WORKERS=2',
      value: withLatency(scale.get2),
      limit: `WORKERS=1 ${num(base.get.rps)}/s`,
      ratio: num(ratio(scale.get2.rps, base.get.rps), 2),
      target: 'report',
    },
    {
      figure: 'GET /api/leaderboard/s, per-IP limiter on (every read counted)',
      value: num(scale.limited.rps),
      limit: `limiter off ${num(base.get.rps)}/s`,
      ratio: num(ratio(scale.limited.rps, base.get.rps), 2),
      target: 'report',
    },
    {
      figure: 'service CPU per submission / per GET /api/leaderboard (WORKERS=1, under the load above)',
      value: `${num(base.submit.cpuMs, 3)} / ${num(base.get.cpuMs, 3)} ms`,
      limit: '—',
      ratio: '—',
      target: 'report (capacity model)',
    },
    {
      figure: 'conditional GET /api/leaderboard (If-None-Match current) → 304/s',
      value: num(base.conditional.notModifiedRps),
      limit: `200 GET ${num(base.get.rps)}/s`,
      ratio: num(ratio(base.conditional.notModifiedRps, base.get.rps), 2),
      target: 'report',
    },
  ];
}
