import { startTestApp, TestContext } from './support/fixture';
import { md5 } from './support/sql-order';

describe('cacheable reads: ETag, Cache-Control, If-None-Match', () => {
  let sut: TestContext;
  let ids: number[];

  const get = (path: string, etag?: string) => sut.request('GET', path, { headers: etag ? { 'if-none-match': etag } : {} });

  beforeAll(async () => {
    sut = await startTestApp({ redis: true, env: { IP_RATE_LIMIT: '0' } });
    ids = await sut.createUsers(['Ann', 'Bob', 'Cat']);
    for (const [i, id] of ids.entries()) await sut.submit(id, 10 * (i + 1));
  });

  it('GET /api/leaderboard: ETag is the quoted hash, a shared cache may keep it about a second', async () => {
    const res = await get('/api/leaderboard');
    expect(res.status).toBe(200);
    expect(res.body.hash).toBe(md5(res.body.data));
    expect(res.headers.get('etag')).toBe(`"${res.body.hash}"`);
    expect(res.headers.get('cache-control')).toBe('public, max-age=0, s-maxage=1, stale-while-revalidate=1');
  });

  it('answers 304 with no body to the current ETag, 200 to any other, and 200 again once the board changed', async () => {
    const { headers } = await get('/api/leaderboard');
    const etag = headers.get('etag')!;
    const unchanged = await get('/api/leaderboard', etag);
    expect(unchanged.status).toBe(304);
    expect(unchanged.body).toBe('');
    expect(unchanged.headers.get('etag')).toBe(etag);
    expect((await get('/api/leaderboard', '"0123456789abcdef0123456789abcdef"')).status).toBe(200);

    expect((await sut.submit(ids[0], 100)).status).toBe(200);
    const changed = await get('/api/leaderboard', etag);
    expect(changed.status).toBe(200);
    expect(changed.body.data[0]).toMatchObject({ id: ids[0], score: 110 });
    expect(changed.headers.get('etag')).toBe(`"${changed.body.hash}"`);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it.each([
    ['the list', '/api/users?limit=2'],
    ['one user', () => `/api/users/${ids[1]}`],
    ['around a user', () => `/api/users/${ids[1]}/around?limit=1`],
  ])('GET %s: weak ETag, shared-cacheable, 304 while unchanged, 200 after a change', async (_, path) => {
    const url = typeof path === 'string' ? path : path();
    const first = await get(url);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers.get('cache-control')).toBe('public, max-age=0, s-maxage=1, stale-while-revalidate=1');
    const unchanged = await get(url, etag);
    expect([unchanged.status, unchanged.body]).toEqual([304, '']);

    expect((await sut.submit(ids[1], 1000)).status).toBe(200);
    const changed = await get(url, etag);
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('never answers a submission 304, even when If-None-Match matches its answer', async () => {
    const submit = (headers: Record<string, string> = {}) =>
      sut.request('POST', `/api/users/${ids[2]}/score`, { body: { score: 5, actionId: 'etag-1' }, token: sut.tokens.backend(), headers });
    await submit();
    // A repeat of the same action answers the same body: the ETag it would match
    const repeat = await submit();
    expect(repeat.body).toMatchObject({ applied: false });
    const conditional = await submit({ 'if-none-match': repeat.headers.get('etag')! });
    expect(conditional.status).toBe(200);
    expect(conditional.body).toEqual(repeat.body);
  });
});
