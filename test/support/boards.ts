import { TestApp } from './app';
import { TestDatabase } from './database';
import { token } from './tokens';

export const boardsToken = () => token({ scope: 'boards:write' });

/** Creates a board as an operator with `boards:write`; throws unless 201. */
export async function createBoard(app: TestApp, board: Record<string, unknown>): Promise<any> {
  const res = await app.request('POST', '/api/boards', { body: board, token: boardsToken() });
  if (res.status !== 201) throw new Error(`create board: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Submits to a board as the game backend (scores:write, not rate limited). */
export function submitToBoard(app: TestApp, key: string, body: Record<string, unknown>) {
  return app.request('POST', `/api/boards/${key}/scores`, { body, token: token({ scope: 'scores:write' }) });
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
