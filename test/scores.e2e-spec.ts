import { generateKeyPairSync } from 'node:crypto';
import { sign } from 'jsonwebtoken';
import { startTestApp, TestContext } from './support/fixture';
import { TEST_JWT_SECRET, tokensWith } from './support/tokens';

// This app checks issuer and audience, so every token here carries them unless a case says otherwise
const ISSUED = { iss: 'https://id.example', aud: 'scoreboard' };
const { sign: token, player: playerToken, backend: backendToken } = tokensWith(ISSUED);

describe('POST /api/users/:id/score', () => {
  let sut: TestContext;
  let ann: number;
  let bob: number;

  const ledgerRows = async () => Number((await sut.db.query<{ n: string }>('SELECT count(*) AS n FROM score_events'))[0].n);
  const totalOf = async (id: number) =>
    Number((await sut.db.query<{ score: string }>('SELECT score FROM users WHERE id = $1', [id]))[0].score);

  beforeAll(async () => {
    sut = await startTestApp({ claims: ISSUED, env: { JWT_ISSUER: 'https://id.example', JWT_AUDIENCE: 'scoreboard' } });
    [ann, bob] = await sut.createUsers(['Ann', 'Bob']);
  });

  it('adds the points, answers the new total and rank, and records one ledger row', async () => {
    const before = await ledgerRows();
    const res = await sut.submit(ann, { score: 25, actionId: 'quest-1' }, playerToken(ann));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: ann, name: 'Ann', score: 25, rank: 1, applied: true });
    expect(await ledgerRows()).toBe(before + 1);
    const [row] = await sut.db.query('SELECT user_id, points, action_id FROM score_events WHERE action_id = $1', ['quest-1']);
    expect(row).toEqual({ user_id: String(ann), points: '25', action_id: 'quest-1' }); // bigint: a string from pg
  });

  it('answers a repeated actionId with applied:false and the unchanged total', async () => {
    const res = await sut.submit(ann, { score: 25, actionId: 'quest-1' }, playerToken(ann));
    expect(res.body).toEqual({ id: ann, name: 'Ann', score: 25, rank: 1, applied: false });
    expect(await totalOf(ann)).toBe(25);
  });

  it('counts submissions without actionId every time', async () => {
    await sut.submit(bob, { score: 5 }, playerToken(bob));
    const res = await sut.submit(bob, { score: 5 }, playerToken(bob));
    expect(res.body).toMatchObject({ score: 10, rank: 2, applied: true });
  });

  it('ranks equal scores by who reached them first', async () => {
    await sut.submit(bob, { score: 15 }, playerToken(bob)); // Bob reaches 25 after Ann did
    expect((await sut.request('GET', `/api/users/${bob}`)).body.rank).toBe(2);
    const res = await sut.submit(ann, { score: 1 }, playerToken(ann));
    expect(res.body).toMatchObject({ score: 26, rank: 1 });
  });

  it('lets scores:write add to anyone', async () => {
    const res = await sut.submit(bob, { score: 2 }, token({ scope: 'scores:write' }));
    expect(res.status).toBe(200);
  });

  describe('authorisation (nothing changes on refusal)', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const cases: [string, () => string | undefined, number][] = [
      ['no token', () => undefined, 401],
      ['a malformed token', () => 'not.a.jwt', 401],
      ['a bad signature', () => playerToken(ann).slice(0, -3) + 'AAA', 401],
      [
        'a token signed with another secret',
        () => sign({ ...ISSUED, sub: String(ann) }, 'another-secret-another-secret-1234', { expiresIn: 60 }),
        401,
      ],
      ['alg none', () => sign({ ...ISSUED, sub: String(ann), exp: now() + 60 }, '', { algorithm: 'none' }), 401],
      [
        'an RS256 token when no public key is configured',
        () => sign({ ...ISSUED, sub: String(ann) }, privateKey, { algorithm: 'RS256', expiresIn: 60 }),
        401,
      ],
      ['an expired token', () => token({ sub: String(ann), exp: now() - 120 }), 401],
      ['a token without exp', () => sign({ ...ISSUED, sub: String(ann) }, TEST_JWT_SECRET), 401],
      ['a token not yet valid', () => token({ sub: String(ann), nbf: now() + 300 }), 401],
      ['the wrong issuer', () => token({ sub: String(ann), iss: 'https://evil.example' }), 401],
      ['the wrong audience', () => token({ sub: String(ann), aud: 'other' }), 401],
      ["another player's id", () => playerToken(bob), 403],
      ['a token without sub or scope', () => token({}), 403],
      ['users:write only', () => token({ scope: 'users:write' }), 403],
      ['a sub that only looks like the id', () => token({ sub: `0${ann}` }), 403],
    ];
    it.each(cases)('refuses %s', async (_, makeToken, status) => {
      const [rows, total] = [await ledgerRows(), await totalOf(ann)];
      const auth = makeToken();
      const res = await sut.request('POST', `/api/users/${ann}/score`, {
        body: { score: 5 },
        headers: auth ? { authorization: `Bearer ${auth}` } : {},
      });
      expect(res.status).toBe(status);
      expect(res.body).toEqual({ statusCode: status, message: expect.anything(), error: status === 401 ? 'Unauthorized' : 'Forbidden' });
      expect([await ledgerRows(), await totalOf(ann)]).toEqual([rows, total]);
    });

    it('accepts issuer and audience when they match', async () => {
      const res = await sut.submit(ann, { score: 1 }, token({ sub: String(ann) }));
      expect(res.status).toBe(200);
    });
  });

  describe('bad input (nothing changes)', () => {
    it.each([
      ['a missing score', {}, 'score'],
      ['a string score', { score: '10' }, 'score'],
      ['a float', { score: 1.5 }, 'score'],
      ['zero', { score: 0 }, 'score'],
      ['a negative score', { score: -5 }, 'score'],
      ['more than SCORE_MAX_INCREMENT', { score: 1001 }, 'score'],
      ['null', { score: null }, 'score'],
      ['an unknown field', { score: 1, bonus: 100 }, 'bonus'],
      ['a bad actionId', { score: 1, actionId: 'no spaces' }, 'actionId'],
      ['a long actionId', { score: 1, actionId: 'a'.repeat(65) }, 'actionId'],
      ['a numeric actionId', { score: 1, actionId: 7 }, 'actionId'],
    ])('is 400 for %s', async (_, body, field) => {
      const [rows, total] = [await ledgerRows(), await totalOf(ann)];
      const res = await sut.submit(ann, body, playerToken(ann));
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
      expect(res.body).not.toHaveProperty('stack');
      expect([await ledgerRows(), await totalOf(ann)]).toEqual([rows, total]);
    });

    it('is 400 for invalid JSON and for a non-JSON content type, 413 above the body limit', async () => {
      const raw = (body: string, type: string) =>
        fetch(`${sut.url}/api/users/${ann}/score`, {
          method: 'POST',
          body,
          headers: { 'content-type': type, authorization: `Bearer ${playerToken(ann)}` },
        });
      expect((await raw('{"score":', 'application/json')).status).toBe(400);
      expect((await raw('score=5', 'application/x-www-form-urlencoded')).status).toBe(400);
      const big = await raw(JSON.stringify({ score: 1, actionId: 'x'.repeat(20_000) }), 'application/json');
      expect(big.status).toBe(413);
      expect(await big.json()).toMatchObject({ statusCode: 413 });
    });

    it('is 404 for an unknown user and leaves no trace', async () => {
      const rows = await ledgerRows();
      const res = await sut.submit(987654, { score: 1, actionId: 'ghost' }, backendToken());
      expect(res).toMatchObject({ status: 404, body: { statusCode: 404, error: 'Not Found' } });
      expect(await ledgerRows()).toBe(rows);
    });

    it('is 400 for a total past the largest exact JSON number', async () => {
      await sut.db.query('UPDATE users SET score = 9007199254740990 WHERE id = $1', [bob]);
      const rows = await ledgerRows();
      const res = await sut.submit(bob, { score: 10 }, backendToken());
      expect(res.status).toBe(400);
      expect(await ledgerRows()).toBe(rows);
      expect(await totalOf(bob)).toBe(9007199254740990);
    });
  });
});
