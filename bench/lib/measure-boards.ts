import { Context, load } from './measure';
import { runScript } from './proc';
import { num, Row } from './report';
import { Service } from './service';

const BOARDS = 10;
/** 5 s periods: a run of 12 s crosses at least two boundaries. */
const TICK = '*/5 * * * * *';

interface Boundary {
  seconds: number;
  sent: number;
  answers: { actionId: string; status: number; period?: number }[];
  pushes: { period: number; at: number }[];
}

/** Boards: submissions spread over 10 boards vs all on one, and period boundaries under a steady load. */
export async function measureBoards(ctx: Context, service: Service): Promise<{ rows: Row[]; extra: Record<string, unknown> }> {
  const { options, log } = ctx;
  const keys = Array.from({ length: BOARDS }, (_, i) => `bench-${i}`);
  for (const key of keys) await createBoard(ctx, service, { key, name: key });
  const spread = await load(ctx, service.url, 'board', undefined, undefined, { BENCH_BOARDS: keys.join(',') });
  log(`${BOARDS} boards: ${JSON.stringify(spread)}`);
  const one = await load(ctx, service.url, 'board', undefined, undefined, { BENCH_BOARDS: keys[0] });
  log(`one board: ${JSON.stringify(one)}`);

  await createBoard(ctx, service, { key: 'bench-tick', name: 'Tick', reset: TICK });
  const seconds = Math.max(12, options.duration);
  log(`period boundaries: ${options.boardRate} submissions/s for ${seconds} s to a board with 5 s periods`);
  const env = { BENCH_JWT_SECRET: ctx.env.JWT_SECRET, BENCH_USERS: String(options.users) };
  const run = await runScript<Boundary>('board-boundary.ts', [service.url, 'bench-tick', String(options.boardRate), String(seconds)], env);
  const boundary = await judgeBoundaries(ctx, run);
  log(`boundaries: ${JSON.stringify(boundary)}`);

  const ratio = spread.rps / one.rps;
  const c = options.connections;
  const rows: Row[] = [
    {
      figure: `board submissions/s, ${c} connections, spread over ${BOARDS} boards ÷ all on one board`,
      value: `${num(spread.rps)} / ${num(one.rps)} (p99 ${spread.p99} / ${one.p99} ms)`,
      limit: '—',
      ratio: num(ratio, 2),
      target: '≥ 0.9',
      met: ratio >= 0.9,
    },
    {
      figure: `period boundaries under ${num(boundary.rate)} submissions/s (${boundary.boundaries} boundaries): errors, lost, new board pushed after`,
      value: `${boundary.errors} errors, ${boundary.lost} lost, max ${num(boundary.maxPushMs)} ms`,
      limit: '—',
      ratio: '—',
      target: '0, 0, ≤ 1000 ms',
      met: boundary.errors === 0 && boundary.lost === 0 && boundary.boundaries > 0 && boundary.maxPushMs <= 1000,
    },
  ];
  return { rows, extra: { spread, one, boundary } };
}

async function createBoard(ctx: Context, service: Service, board: object): Promise<void> {
  const response = await fetch(`${service.url}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ctx.token({ scope: 'boards:write' })}` },
    body: JSON.stringify(board),
  });
  if (response.status !== 201) throw new Error(`create board: ${response.status} ${await response.text()}`);
}

/**
 * Every 200 is in the ledger in the period its answer named (nothing lost); every boundary crossed during the run
 * was followed by a push of the next period's board, timed from the period's end (database clock, same machine).
 */
async function judgeBoundaries(ctx: Context, run: Boundary) {
  const ledger = await ctx.db.query<{ action_id: string; period: number }>(
    `SELECT action_id, period FROM score_events WHERE board = 'bench-tick'`,
  );
  const recorded = new Map(ledger.map((row) => [row.action_id, row.period]));
  const ok = run.answers.filter((a) => a.status === 200);
  const lost = ok.filter((a) => recorded.get(a.actionId) !== a.period).length;
  const closed = await ctx.db.query<{ period: number; ends_at: Date }>(
    `SELECT period, ends_at FROM board_periods WHERE board = 'bench-tick' AND closed_at IS NOT NULL AND period >= $1 ORDER BY period`,
    [Math.min(...ok.map((a) => a.period!))],
  );
  const delays = closed.map(
    ({ period, ends_at }) => Math.min(...run.pushes.filter((p) => p.period === period + 1).map((p) => p.at)) - ends_at.getTime(),
  );
  return {
    rate: run.answers.length / run.seconds,
    sent: run.sent,
    ok: ok.length,
    errors: run.answers.length - ok.length,
    statuses: [...new Set(run.answers.map((a) => a.status))],
    lost,
    boundaries: closed.length,
    pushDelaysMs: delays,
    maxPushMs: Math.max(...delays),
  };
}
