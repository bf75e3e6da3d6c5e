import { Context, bareHttp, boot, load, push, reads, submissions } from './measure';
import { measureBoards } from './measure-boards';
import { measureFeed } from './measure-feed';
import { measureScale, scaleRows } from './measure-scale';
import { meLoad, MeLoadResult } from './me-load';
import { num, Row } from './report';

const ratio = (a: number, b: number) => (b ? a / b : NaN);

/** Every measurement of the table, in an order where each phase leaves the next one a clean service. */
export async function measureAll(ctx: Context): Promise<{ rows: Row[]; extra: Record<string, unknown> }> {
  const { options, pgbench, log } = ctx;
  if (options.only === 'feed') return measureFeed(ctx);
  if (options.only === 'me') {
    const me = await meLoad(ctx, await boot(ctx), options.users);
    return {
      rows: meRows(me, options.users),
      extra: { me, notes: [`me: ${me.updates} me:update received, ${me.probes} probe delays, ${me.missing} probes never seen or failed`] },
    };
  }
  if (options.only === 'boards') return boardsOnly(ctx);
  log('service: group commit (default)');
  let service = await boot(ctx);
  const grouped = await submissions(ctx, service);
  log('GET /api/leaderboard vs a bare node:http + Redis GET');
  const snapshotText = await (await fetch(`${service.url}/api/leaderboard`)).text();
  const board = await reads(ctx, service);
  const bare = await bareHttp(ctx, snapshotText);
  log(`leaderboard ${JSON.stringify(board)}; bare ${JSON.stringify(bare)}`);
  if (options.only === 'http') {
    await service.stop();
    return {
      rows: httpRows(ctx, grouped, board, bare),
      extra: { grouped, board, bare, notes: [`non-2xx during submissions: ${grouped.non2xx}`] },
    };
  }
  log('conditional GET /api/leaderboard (If-None-Match = the current ETag)');
  const conditional = await load(ctx, service.url, 'conditional', undefined, undefined, {
    BENCH_ETAG: `"${(JSON.parse(snapshotText) as { hash: string }).hash}"`,
  });
  log(`conditional ${JSON.stringify(conditional)}`);
  const baseline = { submit: grouped, get: board, conditional };
  if (options.only === 'scale') {
    await service.stop();
    const scale = await measureScale(ctx);
    return {
      rows: [...httpRows(ctx, grouped, board, bare), ...scaleRows(ctx, baseline, scale)],
      extra: { grouped, board, bare, conditional, scale, notes: [] },
    };
  }
  log(`push: ${options.viewers} viewers at ${options.pushRate}/s, then ${options.broadcastViewers} viewers`);
  const pushes = await push(ctx, service, JSON.parse(snapshotText) as { data: { id: number; score: number }[] });
  await service.stop();
  const scale = await measureScale(ctx);

  log('service: one by one (SCORE_BATCH_MAX=1, as many commits in flight as the pool has connections)');
  service = await boot(ctx, { SCORE_BATCH_MAX: '1', SCORE_BATCH_CONCURRENCY: ctx.env.DB_POOL_SIZE ?? '8' });
  const single = await submissions(ctx, service);
  await service.stop();

  log('boards: spread over 10 boards vs one, period boundaries under load');
  service = await boot(ctx);
  const boards = await measureBoards(ctx, service);
  await service.stop();

  // Before the big seed: the feed's rows compare with a baseline seeded with the same `users` players
  const feed = await measureFeed(ctx);

  let big: Awaited<ReturnType<typeof submissions>> | undefined;
  if (options.bigUsers > options.users) {
    log(`seeding up to ${options.bigUsers} players`);
    const seeded = Date.now();
    await ctx.db.seed(options.bigUsers);
    log(`seeded in ${((Date.now() - seeded) / 1000).toFixed(0)} s; booting (rank index rebuild)`);
    const booted = Date.now();
    service = await boot(ctx, {}, options.bigUsers);
    log(`rank index ready (and 3 s warm-up) in ${((Date.now() - booted) / 1000).toFixed(1)} s`);
    big = await submissions(ctx, service, options.bigUsers);
    await service.stop();
  }

  let me: MeLoadResult | undefined;
  if (options.meWatchers > 0) {
    const users = Math.max(options.users, options.bigUsers);
    log(`me: ${options.meWatchers} watchers, ${options.meRate} submissions/s, ${users} players`);
    service = await boot(ctx, {}, users);
    me = await meLoad(ctx, service, users);
    await service.stop();
  }

  const { streamService: ps, streamBare: pb, broadcastService: bs, broadcastBare: bb } = pushes;
  const perThousand = (grouped.refreshes / Math.max(1, grouped.applied)) * 1000;
  const c = options.connections;
  const [submitRow, latencyRow, boardRow] = httpRows(ctx, grouped, board, bare);
  const rows: Row[] = [
    submitRow,
    latencyRow,
    {
      figure: `score submissions/s, one by one (SCORE_BATCH_MAX=1), ${c} connections`,
      value: `${num(single.rps)} (p50 / p99 ${single.p50} / ${single.p99} ms)`,
      limit: `pgbench ${num(pgbench.best)} tps`,
      ratio: num(ratio(single.rps, pgbench.best), 2),
      target: 'comparison',
    },
    boardRow,
    {
      figure: `push latency p50 / p99, ${options.viewers} viewers, ${options.pushRate} submissions/s`,
      value: `${num(ps.p50, 1)} / ${num(ps.p99, 1)} ms`,
      limit: `bare Socket.IO ${num(pb.p50, 1)} / ${num(pb.p99, 1)} ms`,
      ratio: num(ratio(ps.p99, pb.p99), 2),
      target: 'p99 ≤ 1.5 × bare + 10 ms',
      met: ps.p99 <= 1.5 * pb.p99 + 10,
    },
    {
      figure: `broadcast to ${options.broadcastViewers} viewers, last receipt p99`,
      value: `${num(bs.lastP99, 1)} ms`,
      limit: `bare Socket.IO ${num(bb.lastP99, 1)} ms`,
      ratio: num(ratio(bs.lastP99, bb.lastP99), 2),
      target: '≤ 1.2',
      met: ratio(bs.lastP99, bb.lastP99) <= 1.2,
    },
    {
      figure: 'top-10 queries per 1,000 submissions',
      value: num(perThousand, 1),
      limit: '—',
      ratio: '—',
      target: '≤ 100',
      met: perThousand <= 100,
    },
  ];
  if (big) {
    const r = ratio(big.p99, grouped.p99);
    rows.push({
      figure: `submission p99 at ${options.bigUsers} players ÷ at ${options.users}`,
      value: `${big.p99} / ${grouped.p99} ms (${num(big.rps)}/s)`,
      limit: '—',
      ratio: num(r, 2),
      target: '≤ 1.3',
      met: r <= 1.3,
    });
  }
  rows.push(...scaleRows(ctx, baseline, scale));
  if (me) rows.push(...meRows(me, Math.max(options.users, options.bigUsers)));
  rows.push({
    figure: 'server memory per connected viewer',
    value: `${num(pushes.bytesPerViewer / 1024, 1)} KB`,
    limit: '—',
    ratio: '—',
    target: 'report',
  });
  rows.push(...feed.rows, ...boards.rows);
  const missed = ps.missing + pb.missing + bs.missing + bb.missing;
  const notes = [
    `pgbench tps by clients: ${JSON.stringify(pgbench.byClients)}; non-2xx during submissions: ${grouped.non2xx} grouped, ${single.non2xx} one by one`,
    `push receipts missing (a viewer never saw a submission's score): ${missed}`,
    ...(feed.extra.notes as string[]),
  ];
  if (me) notes.push(`me: ${me.updates} me:update received, ${me.probes} probe delays, ${me.missing} probes never seen or failed`);
  return { rows, extra: { grouped, single, big, me, board, bare, conditional, scale, pushes, ...feed.extra, boards: boards.extra, notes } };
}

function meRows(me: MeLoadResult, users: number): Row[] {
  const { median } = me;
  const rounds = me.rounds.map((r) => `${r.with.p99} / ${r.without.p99}`).join(', ');
  return [
    {
      figure: `submission p99 with ${me.watchers} players watching me ÷ with none, ${me.rate}/s on ${users} players (median of ${me.rounds.length} rounds: ${rounds} ms)`,
      value: `${median.with.p99} / ${median.without.p99} ms (${num(median.with.rps)}/s vs ${num(median.without.rps)}/s)`,
      limit: '—',
      ratio: num(me.ratio, 2),
      target: '≤ 1.5 (contract §9)',
      met: me.ratio <= 1.5,
    },
    {
      figure: `me:update delay p50 / p99 (own score, ${me.watchers} watchers, all rounds)`,
      value: `${num(me.delayP50, 1)} / ${num(me.delayP99, 1)} ms`,
      limit: '1 s tick',
      ratio: '—',
      target: 'within ~1 s',
      met: me.delayP99 <= 1500,
    },
  ];
}

async function boardsOnly(ctx: Context): Promise<{ rows: Row[]; extra: Record<string, unknown> }> {
  ctx.log('boards: spread over 10 boards vs one, period boundaries under load');
  const service = await boot(ctx);
  try {
    const { rows, extra } = await measureBoards(ctx, service);
    return { rows, extra: { ...extra, notes: [] } };
  } finally {
    await service.stop();
  }
}

type Load = Awaited<ReturnType<typeof load>>;

function httpRows(ctx: Context, grouped: Load, board: Load, bare: Load): Row[] {
  const { options, pgbench } = ctx;
  const c = options.connections;
  return [
    {
      figure: `score submissions/s, ${c} connections, group commit`,
      value: num(grouped.rps),
      limit: `pgbench ${num(pgbench.best)} tps (${pgbench.bestClients} clients)`,
      ratio: num(ratio(grouped.rps, pgbench.best), 2),
      target: '≥ 0.7 (aim > 1.0)',
      met: ratio(grouped.rps, pgbench.best) >= 0.7,
    },
    {
      figure: `submission latency p50 / p99, ${c} connections`,
      value: `${grouped.p50} / ${grouped.p99} ms`,
      limit: '—',
      ratio: '—',
      target: 'p99 ≤ 50 ms',
      met: grouped.p99 <= 50,
    },
    {
      figure: 'GET /api/leaderboard/s',
      value: num(board.rps),
      limit: `bare node:http + Redis GET ${num(bare.rps)}/s`,
      ratio: num(ratio(board.rps, bare.rps), 2),
      target: '≥ 0.5',
      met: ratio(board.rps, bare.rps) >= 0.5,
    },
  ];
}
