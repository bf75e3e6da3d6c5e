import { HttpResponse } from './app';
import { TestDatabase } from './database';
import { TestContext } from './fixture';

/** An operator's token: `boards:write`. */
export const boardsToken = (t: TestContext) => t.tokens.sign({ scope: 'boards:write' });

/** Creates a board as an operator with `boards:write`; throws unless 201. */
export async function createBoard(t: TestContext, board: Record<string, unknown>): Promise<any> {
  const res = await t.request('POST', '/api/boards', { body: board, token: boardsToken(t) });
  if (res.status !== 201) throw new Error(`create board: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Submits to a board as the game backend (scores:write, not rate limited). */
export function submitToBoard(t: TestContext, key: string, body: Record<string, unknown>): Promise<HttpResponse> {
  return t.request('POST', `/api/boards/${key}/scores`, { body, token: t.tokens.sign({ scope: 'scores:write' }) });
}

/** Closes the board's current period now (POST …/reset as an operator). */
export function resetBoard(t: TestContext, key: string): Promise<HttpResponse> {
  return t.request('POST', `/api/boards/${key}/reset`, { token: boardsToken(t) });
}

/** Everything a rejected board request must leave untouched. */
export async function boardState(db: TestDatabase): Promise<unknown> {
  return {
    boards: await db.query('SELECT * FROM boards ORDER BY key'),
    periods: await db.query('SELECT * FROM board_periods ORDER BY board, period'),
    scores: await db.query('SELECT * FROM board_scores ORDER BY board, period, user_id'),
    ledger: await db.query('SELECT id, user_id, board, period, points, value, action_id FROM score_events ORDER BY id'),
  };
}

/** A board's top 10 in its open period as SQL computes it (desc or asc): what its snapshot must converge to. */
export async function sqlBoardTop10(
  db: TestDatabase,
  key: string,
  order: 'desc' | 'asc' = 'desc',
): Promise<{ id: number; rank: number; name: string; score: number }[]> {
  const rows = await db.query<{ id: string; name: string; score: string }>(
    `SELECT s.user_id AS id, u.name, s.score FROM board_scores s JOIN users u ON u.id = s.user_id
      WHERE s.board = $1 AND s.period = (SELECT period FROM board_periods WHERE board = $1 AND closed_at IS NULL)
      ORDER BY s.score ${order}, s.reached_at, s.user_id LIMIT 10`,
    [key],
  );
  return rows.map((row, i) => ({ id: Number(row.id), rank: i + 1, name: row.name, score: Number(row.score) }));
}
