import { startTestApp, TestContext } from './support/fixture';
import { epoch, hmacToken, rawToken, rs256Token, rsaKeyPair, unsignedToken } from './support/forged-tokens';
import { ledgerState } from './support/ledger-state';
import { playerToken, TEST_JWT_SECRET, token } from './support/tokens';

const keys = rsaKeyPair();
const otherKeys = rsaKeyPair();

interface Case {
  /** The app configured with JWT_PUBLIC_KEY (RS256) instead of JWT_SECRET. */
  rsa?: boolean;
  auth: (ann: number) => string | undefined;
  path?: (ann: number, bob: number) => string;
  body?: unknown;
  status: number;
}

const hs = (claims: Record<string, unknown>) => rawToken({ alg: 'HS256', typ: 'JWT' }, claims, TEST_JWT_SECRET);
const swapPayload = (jwt: string, claims: Record<string, unknown>) => {
  const [header, , signature] = jwt.split('.');
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
};

const CASES: [string, Case][] = [
  ['no token', { auth: () => undefined, status: 401 }],
  ['alg none', { auth: (ann) => unsignedToken({ sub: String(ann) }), status: 401 }],
  ['alg none, upper case', { auth: (ann) => rawToken({ alg: 'NONE' }, { sub: String(ann), exp: epoch(600) }), status: 401 }],
  ['HS256 signed with a wrong key', { auth: (ann) => token({ sub: String(ann) }).slice(0, -1) + 'x', status: 401 }],
  [
    'HS256 signed with another secret',
    { auth: (ann) => hmacToken({ sub: String(ann) }, 'another-secret-another-secret-123'), status: 401 },
  ],
  [
    'payload swapped to another user',
    { auth: (ann) => swapPayload(playerToken(ann + 1), { sub: String(ann), exp: epoch(600) }), status: 401 },
  ],
  ['expired', { auth: (ann) => hs({ sub: String(ann), exp: epoch(-120) }), status: 401 }],
  ['nbf in the future', { auth: (ann) => hs({ sub: String(ann), exp: epoch(600), nbf: epoch(300) }), status: 401 }],
  ['no exp', { auth: (ann) => hs({ sub: String(ann) }), status: 401 }],
  ['exp as a string', { auth: (ann) => hs({ sub: String(ann), exp: String(epoch(600)) }), status: 401 }],
  ['an 8 KB token', { auth: (ann) => token({ sub: String(ann), pad: 'x'.repeat(8 * 1024) }), status: 401 }],
  ['not a JWT', { auth: () => 'not.a.jwt', status: 401 }],
  ['no sub on a player route', { auth: () => token({}), status: 403 }],
  ['sub as a number', { auth: (ann) => token({ sub: ann as unknown as string }), status: 403 }],
  ["another player's token", { auth: (ann) => playerToken(ann + 1), status: 403 }],
  ['users:write only', { auth: () => token({ scope: 'users:write' }), status: 403 }],
  ['scope as an array', { auth: () => token({ scope: ['scores:write'] as unknown as string }), status: 403 }],
  ['scores:write as a prefix only', { auth: () => token({ scope: 'scores:writer' }), status: 403 }],
  ['a player creating a user', { auth: (ann) => playerToken(ann), path: () => '/api/users', body: { name: 'Mallory' }, status: 403 }],
  [
    'RS256 app: HS256 signed with the public key text',
    { rsa: true, auth: (ann) => hmacToken({ sub: String(ann) }, keys.publicPem), status: 401 },
  ],
  ['RS256 app: HS256 with the test secret', { rsa: true, auth: (ann) => playerToken(ann), status: 401 }],
  [
    'RS256 app: signed with another private key',
    { rsa: true, auth: (ann) => rs256Token({ sub: String(ann) }, otherKeys.privateKey), status: 401 },
  ],
  ['RS256 app: alg none', { rsa: true, auth: (ann) => unsignedToken({ sub: String(ann) }), status: 401 }],
  [
    'RS256 app: valid token for another player',
    { rsa: true, auth: (ann) => rs256Token({ sub: String(ann + 1) }, keys.privateKey), status: 403 },
  ],
];

describe('abuse: forged and insufficient tokens change nothing', () => {
  let hsApp: TestContext;
  let rsaApp: TestContext;
  let ann: number;

  beforeAll(async () => {
    hsApp = await startTestApp();
    rsaApp = await hsApp.startInstance({ JWT_SECRET: undefined, JWT_PUBLIC_KEY: keys.publicPem });
    [ann] = await hsApp.createUsers(['Ann', 'Bob']);
  });

  it('accepts the genuine tokens of both apps (the baseline)', async () => {
    const viaHs = await hsApp.request('POST', `/api/users/${ann}/score`, { body: { score: 1 }, token: playerToken(ann) });
    const viaRsa = await rsaApp.request('POST', `/api/users/${ann}/score`, {
      body: { score: 1 },
      token: rs256Token({ sub: String(ann) }, keys.privateKey),
    });
    expect([viaHs.status, viaRsa.status]).toEqual([200, 200]);
    expect((await ledgerState(hsApp.db)).ledgerRows).toBe(2);
  });

  it.each(CASES)('%s → its exact status, nothing changed', async (_, c) => {
    const before = await ledgerState(hsApp.db);
    const app = c.rsa ? rsaApp : hsApp;
    const path = c.path?.(ann, ann + 1) ?? `/api/users/${ann}/score`;
    const res = await app.request('POST', path, { body: c.body ?? { score: 5 }, token: c.auth(ann) });
    expect({ status: res.status, body: res.body }).toMatchObject({ status: c.status, body: { statusCode: c.status } });
    expect(await ledgerState(hsApp.db)).toEqual(before);
  });

  it('never takes a token from the query string', async () => {
    const before = await ledgerState(hsApp.db);
    const res = await hsApp.request('POST', `/api/users/${ann}/score?access_token=${playerToken(ann)}&token=${playerToken(ann)}`, {
      body: { score: 5 },
    });
    expect(res.status).toBe(401);
    expect(await ledgerState(hsApp.db)).toEqual(before);
  });
});
