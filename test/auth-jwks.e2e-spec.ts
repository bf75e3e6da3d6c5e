import { randomBytes } from 'node:crypto';
import { sign } from 'jsonwebtoken';
import { JWKS_COOLDOWN_MS, JWKS_REFRESH_MS } from '../src/auth/jwks-keys';
import { startApp, TestApp } from './support/app';
import { createTestDatabase, TestDatabase } from './support/database';
import { epoch, rawToken } from './support/forged-tokens';
import { JwksServer, providerToken, SigningKey, signingKey } from './support/jwks-server';
import { ledgerState } from './support/ledger-state';
import { connectSocket, emitWithAck } from './support/socket';
import { waitUntil } from './support/wait';
import { backendToken } from './support/tokens';

// Only Date is faked (and keeps running in real time): the tests jump the clock past jose's 30 s cooldown and the
// 10-minute refresh instead of waiting for them, so the contract's own numbers are what is tested.
const jumpClock = (ms: number) => jest.setSystemTime(Date.now() + ms);
const PAST_COOLDOWN = JWKS_COOLDOWN_MS + 1000;

describe('auth: tokens verified with the keys of an identity provider (JWT_JWKS_URL)', () => {
  let db: TestDatabase;
  let sut: TestApp;
  let provider: JwksServer;
  let ann: number;
  let rsa = signingKey('RS256');
  const ec = signingKey('ES256');

  const submit = (jwt: string) => sut.request('POST', `/api/users/${ann}/score`, { body: { score: 1 }, token: jwt });
  const player = (key: SigningKey, kid?: string) => providerToken(key, { sub: String(ann) }, kid);
  const randomKid = () => randomBytes(8).toString('hex');

  beforeAll(async () => {
    jest.useFakeTimers({
      advanceTimers: true,
      doNotFake: [
        'nextTick',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
        'queueMicrotask',
        'hrtime',
        'performance',
      ],
    });
    provider = await new JwksServer().start();
    provider.keys = [rsa, ec];
    db = await createTestDatabase();
    sut = await startApp({ DATABASE_URL: db.url, JWT_JWKS_URL: provider.url });
    ann = (await sut.request('POST', '/api/users', { body: { name: 'Ann' }, token: backendToken() })).body.id;
  });
  afterAll(async () => {
    await sut?.close();
    await provider?.stop();
    await db?.drop();
    jest.useRealTimers();
  });

  it('accepts RS256 and ES256 tokens named by a current kid, fetching the set once', async () => {
    expect(provider.fetches).toBe(0); // fetched on first use, not at boot
    expect((await submit(player(rsa))).status).toBe(200);
    expect((await submit(player(ec))).status).toBe(200);
    expect(provider.fetches).toBe(1);
    expect((await ledgerState(db)).ledgerRows).toBe(2);
  });

  it('refuses an unknown kid with 401, refetching at most once per 30 s even for 50 random kids', async () => {
    const before = await ledgerState(db);
    const stranger = signingKey('RS256');
    for (let i = 0; i < 50; i++) expect((await submit(player(stranger, randomKid()))).status).toBe(401);
    expect(provider.fetches).toBe(1); // within the cooldown of the first fetch: none
    jumpClock(PAST_COOLDOWN);
    const burst = await Promise.all(Array.from({ length: 50 }, () => submit(player(stranger, randomKid()))));
    expect(burst.map((res) => res.status)).toEqual(Array(50).fill(401));
    for (let i = 0; i < 50; i++) expect((await submit(player(stranger, randomKid()))).status).toBe(401);
    expect(provider.fetches).toBe(2); // one refetch for 100 unknown kids
    expect(await ledgerState(db)).toEqual(before);
  });

  it('follows a rotation without a restart: a new key accepted once the 30 s cooldown is over, the withdrawn one refused', async () => {
    const next = signingKey('RS256');
    provider.keys = [next, ec]; // rsa withdrawn, next added
    expect((await submit(player(next))).status).toBe(401); // still in the cooldown of the last fetch
    jumpClock(PAST_COOLDOWN);
    expect((await submit(player(next))).status).toBe(200);
    expect(provider.fetches).toBe(3);
    const before = await ledgerState(db);
    expect((await submit(player(rsa))).body).toMatchObject({ statusCode: 401, message: 'Invalid token' });
    expect(await ledgerState(db)).toEqual(before);
    rsa = next; // the current RSA key from here on
  });

  it('refreshes the set every 10 minutes in the background, so a withdrawn key goes even without an unknown kid', async () => {
    provider.keys = [rsa]; // ec withdrawn
    expect((await submit(player(ec))).status).toBe(200); // still cached
    jumpClock(JWKS_REFRESH_MS + 1000);
    expect((await submit(player(rsa))).status).toBe(200); // answered from the cache; starts the refresh
    await waitUntil('the background refresh', () => provider.fetches === 4, 5000);
    await waitUntil('the withdrawn ES256 key to be refused', async () => (await submit(player(ec))).status === 401, 5000);
  });

  it('keeps the keys fetched last while the provider is down, without hammering it', async () => {
    provider.failWith = 503;
    const fetchesBefore = provider.fetches;
    try {
      jumpClock(JWKS_REFRESH_MS + PAST_COOLDOWN);
      expect((await submit(player(rsa))).status).toBe(200); // the known key: no wait, no failure (the background refresh fails)
      const unknown = await Promise.all(Array.from({ length: 50 }, () => submit(player(signingKey('ES256'), randomKid()))));
      for (let i = 0; i < 50; i++) unknown.push(await submit(player(signingKey('ES256'), randomKid())));
      expect(unknown.map((res) => res.status)).toEqual(Array(100).fill(401));
      const attempts = provider.fetches - fetchesBefore;
      expect(attempts).toBeGreaterThanOrEqual(1); // the control: it did try
      expect(attempts).toBeLessThanOrEqual(2); // at most one attempt per 5 s whatever asks for it
      expect((await submit(player(rsa))).status).toBe(200);
    } finally {
      provider.failWith = undefined;
    }
  });

  describe('forged and mismatched tokens → 401, nothing changed', () => {
    const encryption = signingKey('RS256', { use: 'enc' });
    const rs384Only = signingKey('RS256', { alg: 'RS384' });
    const noUse = signingKey('RS256', { use: undefined });
    beforeAll(async () => {
      provider.keys = [rsa, encryption, rs384Only, noUse];
      jumpClock(PAST_COOLDOWN);
      expect((await submit(player(noUse))).status).toBe(200); // the control: a key without `use` is a signing key
    });

    const header = (alg: string, kid: string) => ({ alg, kid, typ: 'JWT' });
    const body = () => ({ sub: String(ann), exp: epoch(600) });
    const cases: [string, () => string][] = [
      ['a key published with use: enc', () => player(encryption)],
      ['a key published for RS384 only', () => player(rs384Only)],
      ['alg none with a current kid', () => rawToken(header('none', rsa.kid), body())],
      ['HS256 with the RSA key as the HMAC secret', () => rawToken(header('HS256', rsa.kid), body(), JSON.stringify(rsa.jwk))],
      [
        'HS256 with the PEM of the RSA key',
        () => rawToken(header('HS256', rsa.kid), body(), rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()),
      ],
      ['ES256 in the header, an RSA kid', () => rawToken(header('ES256', rsa.kid), body()) + 'AAAA'],
      [
        'RS256 in the header, an EC key that is not published',
        () => sign(body(), signingKey('ES256').privateKey, { algorithm: 'ES256', keyid: rsa.kid }),
      ],
      ['PS256 (not allowed) signed with the current key', () => sign(body(), rsa.privateKey, { algorithm: 'PS256', keyid: rsa.kid })],
      ['the current kid, signed by another key', () => player(signingKey('RS256'), rsa.kid)],
      ['RS256 without a kid', () => sign(body(), rsa.privateKey, { algorithm: 'RS256' })],
    ];
    it.each(cases)('%s', async (_, forge) => {
      const before = await ledgerState(db);
      const res = await submit(forge());
      expect({ status: res.status, body: res.body }).toEqual({
        status: 401,
        body: { statusCode: 401, message: 'Invalid token', error: 'Unauthorized' },
      });
      expect(await ledgerState(db)).toEqual(before);
    });
  });

  it('authenticates the Socket.IO handshake with the same keys', async () => {
    const socket = await connectSocket(sut.url, player(rsa));
    try {
      expect(await emitWithAck(socket, 'score:update', { userId: ann, score: 1 })).toMatchObject({ ok: true, result: { id: ann } });
    } finally {
      socket.close();
    }
    await expect(connectSocket(sut.url, player(signingKey('RS256'), rsa.kid))).rejects.toThrow('Unauthorized');
    await expect(connectSocket(sut.url, rawToken({ alg: 'none', kid: rsa.kid }, { sub: String(ann), exp: epoch(600) }))).rejects.toThrow(
      'Unauthorized',
    );
  });
});
