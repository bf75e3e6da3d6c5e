import { startApp, TestApp } from './support/app';
import { createTestDatabase, TestDatabase } from './support/database';
import { ledgerState } from './support/ledger-state';
import { connectSocket, emitWithAck, Socket } from './support/socket';
import { backendToken } from './support/tokens';

const NON_JSON_TYPES = [
  'application/xml',
  'text/xml',
  'multipart/form-data; boundary=x',
  'multipart/form-data',
  'application/octet-stream',
  'application/vnd.api+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'text/html; charset=utf-8',
];

describe('input: content types, ids, integers and names', () => {
  let db: TestDatabase;
  let sut: TestApp;
  let socket: Socket;
  let ann: number;

  const users = async () => (await db.query<{ name: string }>('SELECT name FROM users ORDER BY id')).map((row) => row.name);
  const createUser = (body: unknown, headers?: Record<string, string>) =>
    sut.request('POST', '/api/users', { body, token: backendToken(), headers });

  beforeAll(async () => {
    db = await createTestDatabase();
    sut = await startApp({ DATABASE_URL: db.url });
    ann = (await createUser({ name: 'Ann' })).body.id;
    socket = await connectSocket(sut.url, backendToken());
  });
  afterAll(async () => {
    socket?.close();
    await sut?.close();
    await db?.drop();
  });

  describe('a body that is not JSON is 400 and changes nothing', () => {
    it('creates a user from a JSON body with a charset (the control)', async () => {
      const res = await createUser(JSON.stringify({ name: 'Jo' }), { 'content-type': 'application/json; charset=utf-8' });
      expect(res.status).toBe(201);
      expect(await users()).toEqual(['Ann', 'Jo']);
    });

    it.each(NON_JSON_TYPES)('%s', async (type) => {
      const before = { users: await users(), ledger: await ledgerState(db) };
      const body = type.includes('form-urlencoded')
        ? 'name=Mallory'
        : type.includes('json')
          ? '{"name":"Mallory"}'
          : '<name>Mallory</name>';
      const created = await createUser(body, { 'content-type': type });
      const scored = await sut.request('POST', `/api/users/${ann}/score`, {
        body: '{"score":5}',
        token: backendToken(),
        headers: { 'content-type': type },
      });
      for (const res of [created, scored])
        expect({ status: res.status, body: res.body }).toEqual({
          status: 400,
          body: { statusCode: 400, message: 'Content-Type must be application/json', error: 'Bad Request' },
        });
      expect({ users: await users(), ledger: await ledgerState(db) }).toEqual(before);
    });
  });

  describe('ids: exact, 1 … 2^63−1, never rounded', () => {
    it('answers an existing id (the control) and 404 for unknown ones up to 2^63−1, without a 5xx', async () => {
      expect((await sut.request('GET', `/api/users/${ann}`)).status).toBe(200);
      for (const id of ['987654321', '9007199254740991', '9007199254740992', '9007199254740993', '9223372036854775807']) {
        const res = await sut.request('GET', `/api/users/${id}`);
        expect({ id, status: res.status, body: res.body }).toEqual({
          id,
          status: 404,
          body: { statusCode: 404, message: `User ${id} not found`, error: 'Not Found' },
        });
        expect((await sut.request('GET', `/api/users/${id}/around`)).status).toBe(404);
      }
    });

    it('does not round 2^53+1 into the user 2^53 (who cannot exist: ids are bounded in the database)', async () => {
      await expect(db.query(`INSERT INTO users (id, name) VALUES (9007199254740992, 'Big')`)).rejects.toThrow(/users_id_range/);
      await db.query(`INSERT INTO users (id, name) VALUES (9007199254740991, 'Max')`);
      expect((await sut.request('GET', '/api/users/9007199254740991')).body).toMatchObject({ id: 9007199254740991, name: 'Max' });
      expect((await sut.request('GET', '/api/users/9007199254740993')).status).toBe(404);
      await db.query(`DELETE FROM users WHERE id = 9007199254740991`);
    });

    it('submitting to an id above 2^53 is 404 and changes nothing', async () => {
      const before = await ledgerState(db);
      const res = await sut.request('POST', '/api/users/9223372036854775807/score', { body: { score: 1 }, token: backendToken() });
      expect(res.status).toBe(404);
      expect(await ledgerState(db)).toEqual(before);
    });

    it.each(['0', '-1', '+1', '01', '1e3', '0x10', '1.0', '9223372036854775808', '1'.repeat(60), '%201', '1%20', 'Infinity', 'NaN'])(
      'id %s → 400',
      async (id) => {
        const res = await sut.request('GET', `/api/users/${id}`);
        expect({ status: res.status, body: res.body }).toEqual({
          status: 400,
          body: { statusCode: 400, message: ['id must be a positive integer up to 9223372036854775807'], error: 'Bad Request' },
        });
      },
    );

    it.each([
      ['a 400-digit id', '1'.repeat(400), 'A path segment is too long'],
      ['a broken percent-encoding', '%E0%A4%A', 'The path is not a valid URL'],
    ])('%s → 400 in the contract shape (no echo of the path)', async (_, id, message) => {
      const res = await sut.request('GET', `/api/users/${id}`);
      expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: { statusCode: 400, message, error: 'Bad Request' } });
    });
  });

  describe('query integers follow the same rule', () => {
    it('accepts plain decimal digits (the control)', async () => {
      expect((await sut.request('GET', '/api/users?page=2&limit=5')).body).toMatchObject({ page: 2, limit: 5 });
      expect((await sut.request('GET', `/api/users/${ann}/around?limit=3`)).status).toBe(200);
    });

    it.each([
      'page=1e3',
      'page=0x10',
      'page=1.0',
      'page=+1',
      'page=01',
      'page=%201',
      'limit=1e1',
      'limit=',
      'page=1&page=2',
      'page=99999999999999999999',
    ])('%s → 400 naming the field', async (query) => {
      const res = await sut.request('GET', `/api/users?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.message.join(' ')).toMatch(query.startsWith('page') ? /page/ : /limit/);
    });

    it('limit=1e1 on /around is 400 too', async () => {
      expect((await sut.request('GET', `/api/users/${ann}/around?limit=1e1`)).status).toBe(400);
    });
  });

  describe('names: trimmed, NFC, 1–64 characters, no Cc/Cf', () => {
    it('stores a name trimmed and NFC-normalised, counting characters not UTF-16 units', async () => {
      const decomposed = '  Zoe\u0301  '; // e + combining acute
      const res = await createUser({ name: decomposed });
      expect(res.status).toBe(201);
      expect(res.body.name).toBe('Zo\u00e9');
      const emoji = '😀'.repeat(64); // 64 characters, 128 UTF-16 units
      expect((await createUser({ name: emoji })).body.name).toBe(emoji);
      expect((await users()).slice(-2)).toEqual(['Zo\u00e9', emoji]);
    });

    it.each([
      ['NUL', '\u0000evil'],
      ['only spaces', '   '],
      ['empty', ''],
      ['a right-to-left override', 'abc\u202edef'],
      ['a zero-width space', 'a\u200bb'],
      ['a zero-width joiner', 'a\u200db'],
      ['a BOM inside', 'a\ufeffb'],
      ['a tab inside', 'a\tb'],
      ['a newline inside', 'a\nb'],
      ['DEL', 'a\u007fb'],
      ['a lone surrogate', 'a\ud800b'],
      ['65 characters', 'x'.repeat(65)],
      ['a number', 42],
      ['null', null],
    ])('%s → 400, nothing stored', async (_, name) => {
      const before = await users();
      const res = await createUser({ name });
      expect({ status: res.status, body: res.body }).toEqual({
        status: 400,
        body: { statusCode: 400, message: expect.arrayContaining([expect.stringMatching(/^name /)]), error: 'Bad Request' },
      });
      expect(await users()).toEqual(before);
    });
  });

  describe('socket payloads follow the same rules', () => {
    it('applies a JSON integer userId (the control)', async () => {
      const ack = await emitWithAck(socket, 'score:update', { userId: ann, score: 2 });
      expect(ack).toMatchObject({ ok: true, result: { id: ann, applied: true } });
    });

    it.each([
      ['a string', String(1)],
      ['a float', 1.5],
      ['1e400', Infinity],
      ['above 2^53', 2 ** 60],
      ['zero', 0],
      ['null', null],
    ])('userId %s → 400, nothing changed', async (_, userId) => {
      const before = await ledgerState(db);
      const ack = await emitWithAck(socket, 'score:update', { userId, score: 1 });
      expect(ack).toMatchObject({ ok: false, error: { statusCode: 400 } });
      expect(await ledgerState(db)).toEqual(before);
    });
  });
});
