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
