import { startTestApp, TestContext } from './support/fixture';
import { ledgerState } from './support/ledger-state';
import { backendToken, playerToken } from './support/tokens';

interface Case {
  method?: string;
  path: (ann: number) => string;
  body?: unknown;
  headers?: Record<string, string>;
  as?: 'player' | 'backend' | 'nobody';
  status: number;
}

const score = (ann: number) => `/api/users/${ann}/score`;
const id = (segment: string): Case => ({ path: () => `/api/users/${segment}/score`, body: { score: 1 }, as: 'backend', status: 400 });
const body = (value: unknown, status = 400): Case => ({ path: score, body: value, status });
const raw = (text: string, status = 400, type = 'application/json'): Case => ({
  path: score,
  body: text,
  headers: { 'content-type': type },
  status,
});
const list = (query: string): Case => ({ method: 'GET', path: () => `/api/users?${query}`, as: 'nobody', status: 400 });

const CASES: [string, Case][] = [
  ['id abc', id('abc')],
  ['id 0', id('0')],
  ['id -1', id('-1')],
  ['id 1.5', id('1.5')],
  ['id of 20 digits', id('12345678901234567890')],
  ['id 2^63', id('9223372036854775808')],
  ['id 1e3', id('1e3')],
  ['id 0x10', id('0x10')],
  ['id with a leading space', id('%205')],
  ['GET of id 1e3', { method: 'GET', path: () => '/api/users/1e3', as: 'nobody', status: 400 }],
  ['id with a SQL fragment', id(encodeURIComponent('1; DROP TABLE users'))],
  ["id ' OR '1'='1", id(encodeURIComponent("1' OR '1'='1"))],
  ['GET of id abc', { method: 'GET', path: () => '/api/users/abc', as: 'nobody', status: 400 }],
  ['an unknown user', { path: () => '/api/users/987654321/score', body: { score: 1, actionId: 'ghost' }, as: 'backend', status: 404 }],
  ['no body', { path: score, status: 400 }],
  ['a null body', raw('null')],
  ['an array body', body([{ score: 1 }])],
  ['a string body', raw('"10"')],
  ['score missing', body({ actionId: 'a1' })],
  ['score null', body({ score: null })],
  ['score as a string', body({ score: '10' })],
  ['score a float', body({ score: 1.5 })],
  ['score 0', body({ score: 0 })],
  ['score negative', body({ score: -5 })],
  ['score above SCORE_MAX_INCREMENT', body({ score: 1001 })],
  ['score past 2^53', body({ score: 2 ** 53 + 2 })],
  ['score "NaN"', body({ score: 'NaN' })],
  ['score "Infinity"', body({ score: 'Infinity' })],
  ['score NaN in the JSON text', raw('{"score": NaN}')],
  ['score 1e400 (Infinity once parsed)', raw('{"score": 1e400}')],
  ['score true', body({ score: true })],
  ['score an object', body({ score: { $gt: 0 } })],
  ['an unknown field', body({ score: 1, bonus: 100 })],
  ['a __proto__ field', raw('{"score": 1, "__proto__": {"admin": true}}')],
  ['a 1 MB body', raw(JSON.stringify({ score: 1, actionId: 'x'.repeat(1024 * 1024) }), 413)],
  ['content type text/plain', raw('{"score": 1}', 400, 'text/plain')],
  ['a form body', raw('score=1', 400, 'application/x-www-form-urlencoded')],
  ['invalid JSON', raw('{"score":')],
  ['actionId too long', body({ score: 1, actionId: 'a'.repeat(65) })],
  ['actionId empty', body({ score: 1, actionId: '' })],
  ['actionId with a space', body({ score: 1, actionId: 'a b' })],
  ['actionId with a quote', body({ score: 1, actionId: "x'--" })],
  ['actionId not a string', body({ score: 1, actionId: 7 })],
  ['actionId an array', body({ score: 1, actionId: ['a'] })],
  ['limit 0', list('limit=0')],
  ['limit 101', list('limit=101')],
  ['limit abc', list('limit=abc')],
  ['limit 1.5', list('limit=1.5')],
  ['page -1', list('page=-1')],
  ['page 1.5', list('page=1.5')],
  ['order name', list('order=name')],
  ['order with SQL', list(`order=${encodeURIComponent('score desc; DROP TABLE users')}`)],
  ['an unknown query parameter', list('limit=5&admin=1')],
];

describe('abuse: bad input changes nothing', () => {
  let sut: TestContext;
  let ann: number;

  beforeAll(async () => {
    sut = await startTestApp();
    [ann] = await sut.createUsers(['Ann', 'Bob']);
    await sut.submit(ann, { score: 7, actionId: 'seed' }, playerToken(ann));
  });

  it('has a baseline where a good request does change the ledger', async () => {
    const before = await ledgerState(sut.db);
    expect(before.ledgerRows).toBe(1);
    const res = await sut.request('POST', score(ann), { body: { score: 1 }, token: playerToken(ann) });
    expect(res.status).toBe(200);
    expect((await ledgerState(sut.db)).ledgerRows).toBe(2);
  });

  it.each(CASES)('%s → its exact status, nothing changed', async (_, c) => {
    const before = await ledgerState(sut.db);
    const token = c.as === 'nobody' ? undefined : c.as === 'backend' ? backendToken() : playerToken(ann);
    const res = await sut.request(c.method ?? 'POST', c.path(ann), { body: c.body, token, headers: c.headers });
    expect({ status: res.status, body: res.body }).toMatchObject({ status: c.status, body: { statusCode: c.status } });
    expect(JSON.stringify(res.body)).not.toMatch(/ at |node_modules|QueryFailedError|SELECT /);
    expect(await ledgerState(sut.db)).toEqual(before);
  });
});
