import { privatePostgres, startTestApp, TestContext } from '../support/fixture';
import { counter } from '../support/metrics';
import { PostgresServer } from '../support/postgres-server';
import { expectIndexEqualsSql } from '../support/rank-index';
import { nextEvent, Socket } from '../support/socket';
import { sqlTop10 } from '../support/sql-order';
import { waitUntil } from '../support/wait';

type Update = { data: { id: number; score: number }[] };

describe('fault: PostgreSQL restarts under the change feed', () => {
  let pg: PostgresServer;
  let sut: TestContext;
  let viewer: Socket;
  let ids: number[];

  beforeAll(async () => {
    pg = await privatePostgres();
    sut = await startTestApp({ redis: true, databaseServer: pg.url, env: { SCORE_RATE_LIMIT: '0', IP_RATE_LIMIT: '0' } });
    ids = await sut.createUsers(Array.from({ length: 12 }, (_, i) => `p${i}`));
    for (const [i, id] of ids.entries()) expect((await sut.submit(id, 1 + i)).status).toBe(200);
    viewer = await sut.watch();
    await expectIndexEqualsSql(sut);
  }, 60_000);

  it('resumes after the restart (LISTEN reconnects): later outside and service changes reach ranks and the board, nothing lost', async () => {
    const rebuilds = await counter(sut, 'rank_index_rebuilds_total');
    await pg.stop('fast');
    await pg.start();
    await waitUntil('the service to reach PostgreSQL again', async () => (await sut.request('GET', '/health')).status === 200, 20_000);

    const moved = nextEvent<Update>(viewer, 'leaderboard:update', 10_000, (u) => u.data[0]?.id === ids[0]);
    await sut.db.query('UPDATE users SET score = 1000 WHERE id = $1', [ids[0]]); // outside, right after the restart
    expect((await moved).data).toEqual(await sqlTop10(sut.db));
    await waitUntil('a submission to succeed', async () => (await sut.submit(ids[1], 5)).status === 200, 10_000);
    await expectIndexEqualsSql(sut);
    expect(await counter(sut, 'rank_index_rebuilds_total')).toBe(rebuilds); // resumed from its position
  });
});
