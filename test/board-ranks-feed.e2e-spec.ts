import { RankIndex } from '../src/ranking/rank-index';
import { boardNamespace } from '../src/ranking/rank-store';
import { startTestApp, TestContext } from './support/fixture';
import { counter } from './support/metrics';
import { waitUntil } from './support/wait';

type Order = 'desc' | 'asc';

/** Board ranks as SQL computes them with the contract's order (better score, then reached first, then lower id). */
async function sqlBoardRanks(t: TestContext, board: string, order: Order): Promise<Map<number, number>> {
  const rows = await t.db.query<{ user_id: string }>(
    `SELECT s.user_id FROM board_scores s JOIN board_periods p ON (p.board, p.period) = (s.board, s.period) AND p.closed_at IS NULL
      WHERE s.board = $1 ORDER BY s.score ${order === 'desc' ? 'DESC' : 'ASC'}, s.reached_at, s.user_id`,
    [board],
  );
  return new Map(rows.map((row, i) => [Number(row.user_id), i + 1]));
}

/** Waits until the Redis rank index alone answers every entry's rank on that board exactly as SQL. */
async function expectBoardIndexEqualsSql(t: TestContext, board: string, order: Order): Promise<void> {
  await waitUntil(`board ${board}'s rank index to equal SQL`, async () => {
    const sql = await sqlBoardRanks(t, board, order);
    const [{ as_of, period }] = await t.db.query<{ as_of: string; period: number }>(
      `SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS as_of, (SELECT period FROM board_periods WHERE board = $1 AND closed_at IS NULL) AS period`,
      [board],
    );
    const index = t.app.get(RankIndex);
    for (const [id, rank] of sql) {
      const fromIndex = await index.rankOf(id, BigInt(as_of), boardNamespace(board, period, order));
      if (fromIndex === undefined || fromIndex + 1 !== rank) return false;
    }
    return true;
  });
}

describe('board ranks follow the change feed (O(log n) per board and period)', () => {
  let sut: TestContext;
  let ids: number[];
  const boardsToken = () => sut.tokens.sign({ scope: 'boards:write' });
  const submit = (board: string, userId: number, score: number) =>
    sut.request('POST', `/api/boards/${board}/scores`, { body: { userId, score }, token: sut.tokens.backend() });

  beforeAll(async () => {
    sut = await startTestApp({ redis: true, env: { SCORE_RATE_LIMIT: '0' } });
    ids = await sut.createUsers(Array.from({ length: 12 }, (_, i) => `p${i}`));
    for (const [key, order, operator] of [
      ['high', 'desc', 'incr'],
      ['laps', 'asc', 'best'],
    ]) {
      expect((await sut.request('POST', '/api/boards', { body: { key, name: key, order, operator }, token: boardsToken() })).status).toBe(
        201,
      );
    }
  });

  it('ranks submissions on a desc and an asc board from the index, equal to SQL, and answers each submitter its rank', async () => {
    for (const [i, id] of ids.entries()) {
      expect((await submit('high', id, 1 + (i % 4))).status).toBe(200);
      const lap = await submit('laps', id, 60_000 - (i % 5) * 1000);
      expect(lap.status).toBe(200);
      expect(lap.body.rank).toBe((await sqlBoardRanks(sut, 'laps', 'asc')).get(id));
    }
    await expectBoardIndexEqualsSql(sut, 'high', 'desc');
    await expectBoardIndexEqualsSql(sut, 'laps', 'asc');
    const fromIndex = await counter(sut, 'rank_lookups_total', 'source="index"');
    const entry = await sut.request('GET', `/api/boards/high/entries/${ids[3]}`);
    expect(entry.body.rank).toBe((await sqlBoardRanks(sut, 'high', 'desc')).get(ids[3]));
    expect(await counter(sut, 'rank_lookups_total', 'source="index"')).toBeGreaterThan(fromIndex);
  });

  it('follows board scores changed or deleted outside the service', async () => {
    await sut.db.query(`UPDATE board_scores SET score = 100, reached_at = now() WHERE board = 'high' AND user_id = $1`, [ids[11]]);
    await sut.db.query(`DELETE FROM users WHERE id = $1`, [ids[0]]); // cascades to its board scores
    await expectBoardIndexEqualsSql(sut, 'high', 'desc');
    await expectBoardIndexEqualsSql(sut, 'laps', 'asc');
    expect((await sut.request('GET', `/api/boards/high/entries/${ids[11]}`)).body.rank).toBe(1);
  });

  it('starts the next period empty in the index, and keeps the closed period answerable', async () => {
    expect((await sut.request('POST', '/api/boards/high/reset', { token: boardsToken() })).status).toBe(200);
    expect((await submit('high', ids[5], 3)).body).toMatchObject({ period: 2, rank: 1 });
    await expectBoardIndexEqualsSql(sut, 'high', 'desc');
    const frozen = await sut.request('GET', `/api/boards/high/periods/1/entries?ids=${ids[11]}`);
    expect(frozen.body.data).toEqual([expect.objectContaining({ id: ids[11], rank: 1 })]);
  });
});
