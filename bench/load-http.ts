/**
 * Child process: one load run, so the load generator never shares the service's event loop. Without a rate: autocannon,
 * each connection sending its next request when the last is answered (throughput). With a rate: an open loop, one
 * request every 1/rate s whatever the answers (see `steady` below).
 * argv: url mode(submit|get|conditional|rank) connections seconds [requests/s]; env BENCH_JWT_SECRET, BENCH_USERS,
 * and for `conditional` (GET /api/leaderboard with If-None-Match) BENCH_ETAG; for `board` (submissions to boards, in
 * turn) BENCH_BOARDS, the comma-separated board keys; with a rate, BENCH_TIMELINE=/tmp/t writes every answer as
 * [ms since start, latency ms] to /tmp/t-{pid}.json.
 * rank: GET /api/users/{random player} (the rank lookup every user read does).
 */
import { createSecretKey } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { sign } from 'jsonwebtoken';
import { Pool } from 'undici';
import { percentile } from './lib/proc';

interface Request {
  method: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: Request) => Request;
}
interface Result {
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latency: { p50: number; p99: number };
  statusCodeStats: Record<string, { count: number }>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- autocannon ships no types: typed by hand here
const autocannon = require('autocannon') as (options: object, done: (error: Error | null, result: Result) => void) => void;

const [url, mode, connections, seconds, rate] = process.argv.slice(2);
const users = Number(process.env.BENCH_USERS ?? 10_000);
// One key object: jsonwebtoken given the string would import it again for every token (10,000 take seconds of CPU)
const secret = createSecretKey(Buffer.from(process.env.BENCH_JWT_SECRET!));
const POOL = Math.min(users, 10_000);

// Player tokens signed up front (the service verifies one per request; signing is the client's cost)
const players = Array.from({ length: mode === 'submit' || mode === 'board' ? POOL : 0 }, () => {
  const id = 1 + Math.floor(Math.random() * users);
  return { id, authorization: `Bearer ${sign({ sub: String(id) }, secret, { algorithm: 'HS256', expiresIn: 3600 })}` };
});
let counter = 0;
const run = `${process.pid}-${Date.now().toString(36)}`;

const boards = (process.env.BENCH_BOARDS ?? '').split(',').filter(Boolean);

/** A random player's submission: to their own score (submit), or to the next board in turn (board). */
function submission(request: Request): Request {
  const player = players[Math.floor(Math.random() * POOL)];
  const [path, target] =
    mode === 'board'
      ? [`/api/boards/${boards[counter % boards.length]}/scores`, { userId: player.id }]
      : [`/api/users/${player.id}/score`, {}];
  return {
    ...request,
    path,
    headers: { 'content-type': 'application/json', authorization: player.authorization },
    body: JSON.stringify({ ...target, score: 1 + Math.floor(Math.random() * 100), actionId: `bench-${run}-${counter++}` }),
  };
}

const requests: Request[] =
  mode === 'submit' || mode === 'board'
    ? [{ method: 'POST', setupRequest: submission }]
    : mode === 'conditional'
      ? [{ method: 'GET', path: '/api/leaderboard', headers: { 'if-none-match': process.env.BENCH_ETAG! } }]
      : mode === 'rank'
        ? [{ method: 'GET', setupRequest: (request) => ({ ...request, path: `/api/users/${1 + Math.floor(Math.random() * users)}` }) }]
        : [{ method: 'GET', path: mode === 'get' ? '/api/leaderboard' : '/' }];

interface Summary {
  ok: number;
  notModified: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  p50: number;
  p99: number;
}

/** Throughput: autocannon, `connections` closed loops for `seconds`. */
function closedLoop(): Promise<Summary> {
  const options = { url, connections: Number(connections), duration: Number(seconds), requests };
  return new Promise((resolve, reject) =>
    autocannon(options, (error, result) =>
      error
        ? reject(error)
        : resolve({
            ok: result['2xx'],
            notModified: result.statusCodeStats['304']?.count ?? 0,
            non2xx: result.non2xx,
            errors: result.errors,
            timeouts: result.timeouts,
            p50: result.latency.p50,
            p99: result.latency.p99,
          }),
    ),
  );
}

/**
 * A steady rate: request i is due at start + i/rate whatever earlier answers took (an open loop, as players arrive),
 * on STEADY_CONNECTIONS keep-alive connections (undici's pool; `connections` does not apply: at 64, a mean latency
 * of 64 ms at 1,000/s would already queue arrivals in the generator), and its latency runs from when it was due to
 * the end of its answer (a backlog counts against the service, not hidden by sending later). autocannon's
 * `overallRate` is not this: it gives each connection a budget per wall-clock second, spent back to back from the
 * second's start, so the load arrives as one burst a second.
 */
const STEADY_CONNECTIONS = 256;

async function steady(perSecond: number): Promise<Summary> {
  // Connections opened before the clock starts: opening them under load (one per arrival while all are busy) is a
  // storm of its own that a stall would set off, not what is measured
  const pool = new Pool(url, { connections: STEADY_CONNECTIONS });
  await Promise.all(
    Array.from({ length: STEADY_CONNECTIONS }, () => pool.request({ method: 'GET', path: '/health' }).then((r) => r.body.dump())),
  );
  const latencies: number[] = [];
  const timeline: [number, number][] = [];
  const started = performance.now();
  const summary: Summary = { ok: 0, notModified: 0, non2xx: 0, errors: 0, timeouts: 0, p50: 0, p99: 0 };
  const send = async (due: number) => {
    const from = Math.min(due, performance.now()); // when it was due, or when it left if the timer fired early
    const template = requests[0];
    const { method, path, headers, body } = template.setupRequest ? template.setupRequest(template) : template;
    try {
      const { statusCode, body: answer } = await pool.request({ method, path: path!, headers, body, headersTimeout: 10_000 });
      await answer.dump();
      latencies.push(performance.now() - from);
      if (process.env.BENCH_TIMELINE) timeline.push([Math.round(from - started), Math.round(performance.now() - from)]);
      if (statusCode >= 200 && statusCode < 300) summary.ok++;
      else if (statusCode === 304) summary.notModified++;
      else summary.non2xx++;
    } catch (error) {
      if ((error as { code?: string }).code === 'UND_ERR_HEADERS_TIMEOUT') summary.timeouts++;
      else summary.errors++;
    }
  };
  const total = Math.round(perSecond * Number(seconds));
  const answers: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait >= 1) await sleep(wait);
    answers.push(send(due));
  }
  await Promise.all(answers);
  await pool.close();
  if (process.env.BENCH_TIMELINE) writeFileSync(`${process.env.BENCH_TIMELINE}-${process.pid}.json`, JSON.stringify(timeline));
  const ms = (p: number) => (latencies.length ? Math.round(percentile(latencies, p) * 10) / 10 : 0);
  return { ...summary, p50: ms(50), p99: ms(99) };
}

void (rate ? steady(Number(rate)) : closedLoop()).then((result) =>
  process.send!(
    {
      type: 'result',
      data: {
        rps: result.ok / Number(seconds),
        ok: result.ok,
        notModifiedRps: result.notModified / Number(seconds),
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        p50: result.p50,
        p99: result.p99,
      },
    },
    () => process.disconnect(),
  ),
);
