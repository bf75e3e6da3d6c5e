/**
 * Child process: one autocannon run, so the load generator never shares the service's event loop.
 * argv: url mode(submit|get|conditional|rank) connections seconds [requests/s cap]; env BENCH_JWT_SECRET, BENCH_USERS,
 * and for `conditional` (GET /api/leaderboard with If-None-Match) BENCH_ETAG; for `board` (submissions to boards, in
 * turn) BENCH_BOARDS, the comma-separated board keys.
 * rank: GET /api/users/{random player} (the rank lookup every user read does).
 */
import { sign } from 'jsonwebtoken';

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
const secret = process.env.BENCH_JWT_SECRET!;
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

const options = {
  url,
  connections: Number(connections),
  duration: Number(seconds),
  requests,
  // With a rate, autocannon 9 "corrects" coordinated omission with an expected interval of ceil(1 / rate) — seconds
  // taken as ms, so 1 ms: every answer slower than that adds one synthetic sample per ms of its latency (a 2 s answer
  // adds 2,000), which skews p99 and costs the generator CPU in proportion to latency, starving the service it
  // measures on a 2-core machine. Latencies are recorded as measured instead (64 connections at ≤ 1,000/s are
  // mostly idle, so a slow answer delays few requests).
  ...(rate ? { overallRate: Number(rate), ignoreCoordinatedOmission: true } : {}),
};
autocannon(options, (error, result) => {
  if (error) throw error;
  const ok = result['2xx'];
  const notModified = result.statusCodeStats['304']?.count ?? 0;
  process.send!(
    {
      type: 'result',
      data: {
        rps: ok / Number(seconds),
        ok,
        notModifiedRps: notModified / Number(seconds),
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        p50: result.latency.p50,
        p99: result.latency.p99,
      },
    },
    () => process.disconnect(),
  );
});
