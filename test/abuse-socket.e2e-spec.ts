import { io } from 'socket.io-client';
import { onTeardown, startTestApp, TestContext } from './support/fixture';
import { epoch, hmacToken, rawToken, unsignedToken } from './support/forged-tokens';
import { ledgerState } from './support/ledger-state';
import { connectSocket, emitWithAck, Socket } from './support/socket';
import { backendToken, playerToken, token, TEST_JWT_SECRET } from './support/tokens';

const PAYLOADS: [string, (ann: number) => unknown, number][] = [
  ['userId as a string', (ann) => ({ userId: String(ann), score: 1 }), 400],
  ['userId a float', (ann) => ({ userId: ann + 0.5, score: 1 }), 400],
  ['userId 0', () => ({ userId: 0, score: 1 }), 400],
  ['userId negative', () => ({ userId: -1, score: 1 }), 400],
  ['userId null', () => ({ userId: null, score: 1 }), 400],
  ['userId past 2^53', () => ({ userId: 2 ** 60, score: 1 }), 400],
  ['userId missing', () => ({ score: 1 }), 400],
  ['score as a string', (ann) => ({ userId: ann, score: '10' }), 400],
  ['score 0', (ann) => ({ userId: ann, score: 0 }), 400],
  ['score negative', (ann) => ({ userId: ann, score: -1 }), 400],
  ['score a float', (ann) => ({ userId: ann, score: 1.5 }), 400],
  ['score above the max', (ann) => ({ userId: ann, score: 1001 }), 400],
  ['score null', (ann) => ({ userId: ann, score: null }), 400],
  ['an unknown field', (ann) => ({ userId: ann, score: 1, bonus: 5 }), 400],
  ['actionId too long', (ann) => ({ userId: ann, score: 1, actionId: 'a'.repeat(65) }), 400],
  ['actionId with bad characters', (ann) => ({ userId: ann, score: 1, actionId: 'a b;' }), 400],
  ['actionId a number', (ann) => ({ userId: ann, score: 1, actionId: 7 }), 400],
  ['an array payload', (ann) => [{ userId: ann, score: 1 }], 400],
  ['a string payload', () => 'score', 400],
  ['a null payload', () => null, 400],
  ["another player's id", (ann) => ({ userId: ann + 1, score: 1 }), 403],
];

const REFUSED_TOKENS: [string, () => string | undefined][] = [
  ['no token', () => undefined],
  ['alg none', () => unsignedToken({ sub: '1' })],
  ['a wrong key', () => hmacToken({ sub: '1' }, 'not-the-secret-not-the-secret-0000')],
  ['an expired token', () => rawToken({ alg: 'HS256' }, { sub: '1', exp: epoch(-120) }, TEST_JWT_SECRET)],
  ['nbf in the future', () => rawToken({ alg: 'HS256' }, { sub: '1', exp: epoch(600), nbf: epoch(300) }, TEST_JWT_SECRET)],
  ['no exp', () => rawToken({ alg: 'HS256' }, { sub: '1' }, TEST_JWT_SECRET)],
  ['an 8 KB token', () => token({ sub: '1', pad: 'x'.repeat(8 * 1024) })],
];

describe('abuse: Socket.IO', () => {
  let sut: TestContext;
  let ann: number;
  let player: Socket;

  beforeAll(async () => {
    sut = await startTestApp({ env: { SCORE_RATE_LIMIT: '4' } });
    [ann] = await sut.createUsers(['Ann', 'Bob']);
    player = await sut.connect(playerToken(ann));
  });

  it.each(PAYLOADS)('score:update with %s → error ack, nothing changed', async (_, payload, statusCode) => {
    const before = await ledgerState(sut.db);
    const ack = await emitWithAck(player, 'score:update', payload(ann));
    expect(ack).toMatchObject({ ok: false, error: { statusCode } });
    expect(await ledgerState(sut.db)).toEqual(before);
  });

  it('score:update for an unknown user → 404 ack, nothing changed', async () => {
    const backend = await sut.connect(backendToken());
    const before = await ledgerState(sut.db);
    expect(await emitWithAck(backend, 'score:update', { userId: 987654321, score: 1, actionId: 'ghost' })).toMatchObject({
      ok: false,
      error: { statusCode: 404 },
    });
    expect(await ledgerState(sut.db)).toEqual(before);
  });

  it('drops the connection for a message above the buffer limit, nothing changed', async () => {
    const socket = await sut.connect(playerToken(ann));
    const before = await ledgerState(sut.db);
    const closed = new Promise((resolve) => socket.once('disconnect', resolve));
    socket.emit('score:update', { userId: ann, score: 1, actionId: 'x'.repeat(100_000) }, () => undefined);
    await closed;
    expect(await ledgerState(sut.db)).toEqual(before);
  });

  it.each(REFUSED_TOKENS)('refuses a connection with %s: Unauthorized', async (_, forge) => {
    await expect(connectSocket(sut.url, forge(), { header: true })).rejects.toThrow('Unauthorized');
    await expect(connectSocket(sut.url, forge())).rejects.toThrow('Unauthorized');
  });

  it('never takes the token from the query string', async () => {
    const socket = io(sut.url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      query: { token: playerToken(ann), access_token: playerToken(ann) },
    });
    onTeardown(() => socket.close());
    await expect(
      new Promise((resolve, reject) => (socket.once('connect', () => resolve('connected')), socket.once('connect_error', reject))),
    ).rejects.toThrow('Unauthorized');
  });

  it('counts REST and score:update together against SCORE_RATE_LIMIT (4)', async () => {
    const bob = ann + 1;
    const bobSocket = await sut.connect(playerToken(bob));
    const rest = () => sut.request('POST', `/api/users/${bob}/score`, { body: { score: 1 }, token: playerToken(bob) });
    const socket = () => emitWithAck(bobSocket, 'score:update', { userId: bob, score: 1 });
    expect([(await rest()).status, (await rest()).status]).toEqual([200, 200]);
    expect([(await socket()).ok, (await socket()).ok]).toEqual([true, true]);
    const before = await ledgerState(sut.db);
    expect(await socket()).toMatchObject({ ok: false, error: { statusCode: 429 } });
    const refused = await rest();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await ledgerState(sut.db)).toEqual(before);
  });

  it('limits connection attempts per client IP (IP_RATE_LIMIT 3)', async () => {
    const limited = await sut.startInstance({ IP_RATE_LIMIT: '3' });
    const connect = (ip: string) => {
      const socket = io(limited.url, {
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        auth: { token: playerToken(ann) },
        extraHeaders: { 'x-forwarded-for': ip },
      });
      onTeardown(() => socket.close());
      return new Promise((resolve, reject) => (socket.once('connect', () => resolve('connected')), socket.once('connect_error', reject)));
    };
    for (let i = 0; i < 3; i++) await expect(connect('10.7.7.7')).resolves.toBe('connected');
    await expect(connect('10.7.7.7')).rejects.toThrow('Too many requests');
    await expect(connect('10.7.7.8')).resolves.toBe('connected');
  });
});
