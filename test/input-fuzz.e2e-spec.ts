import fc from 'fast-check';
import { ModulesContainer } from '@nestjs/core';
import { GATEWAY_METADATA, MESSAGE_MAPPING_METADATA, MESSAGE_METADATA } from '@nestjs/websockets/constants';
import { startApp, TestApp } from './support/app';
import { createTestDatabase, TestDatabase } from './support/database';
import { epoch, rawToken, unsignedToken } from './support/forged-tokens';
import { connectSocket, emitWithAck, Socket } from './support/socket';
import { backendToken, playerToken, token } from './support/tokens';

/**
 * Property: whatever arrives — any route of the OpenAPI document, any socket event, with generated path ids,
 * query strings, headers, content types, bodies and tokens — the answer is never a 5xx, every error has the
 * contract's shape, and a rejected request leaves the database exactly as it was.
 * `FUZZ_RUNS=2000 npx jest test/input-fuzz` for a longer run (default: a quick one inside `npm test`).
 */
const RUNS = Number(process.env.FUZZ_RUNS) || 300;
const SOCKET_RUNS = Math.ceil(RUNS / 2);
jest.setTimeout(30_000 + RUNS * 60); // about 10 ms a run; room for a loaded machine

// ---- generators -------------------------------------------------------------------------------------------
const weirdText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  {
    weight: 2,
    arbitrary: fc.string({
      unit: fc.constantFrom('a', ' ', '\u0000', '\t', '\u202e', '\u200b', '\ufeff', 'e\u0301', '\ud83d', '%', '"'),
      maxLength: 70,
    }),
  },
  fc.constantFrom(
    '',
    ' ',
    '   ',
    '\u0000',
    'a\u0000b',
    '\u202eevil',
    'a\u200bb',
    '\ud800',
    'Zoe\u0301',
    'x'.repeat(65),
    "'; DROP TABLE users; --",
    '__proto__',
    'null',
    '1e3',
    '0x10',
    '9223372036854775808',
  ),
);
const integerish = fc.oneof(
  fc.integer({ min: -5, max: 2000 }),
  fc.constantFrom(0, 1, 1000, 1001, 2 ** 31, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, 2 ** 63, -1, 1.5, Infinity, -0),
  fc.double(),
  fc.constantFrom('10', '1e3', 'NaN', null, true, [], {}, [1]),
);
/** Any JSON value, with the odd key the validation must refuse. */
const anyJson = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'score', 'name', 'admin', 'userId'), fc.jsonValue({ maxDepth: 2 })),
);
/** Mostly exactly the route's own fields, sometimes some of them with a stray one, sometimes any JSON at all. */
const nearly = <T extends Record<string, fc.Arbitrary<unknown>>>(fields: T) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.record(fields) },
    { weight: 2, arbitrary: fc.record({ ...fields, userId: integerish, admin: fc.boolean() }, { requiredKeys: [] }) },
    anyJson,
  );

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Percent-encodes every byte (a lone surrogate becomes U+FFFD, as any client would send it). */
const encode = (text: string) =>
  [...Buffer.from(text)]
    .map((byte) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, '0')}`,
    )
    .join('');
/** URL text: encoded generated text, or raw escapes a decoder must survive. */
const urlText = fc.oneof({ weight: 4, arbitrary: weirdText.map(encode) }, fc.constantFrom('%E0%A4%A', '%', '%zz', '%00', '%2F', '..', '+'));

/** A path id: real users, the contract's edge values, and anything else a URL segment can carry. */
const pathId = (ids: number[]) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...ids.map(String)) },
    fc.bigInt({ min: -10n, max: 2n ** 64n }).map(String),
    fc.constantFrom(
      '0',
      '01',
      '1e3',
      '0x10',
      '1.0',
      '-1',
      '9223372036854775807',
      '9223372036854775808',
      '9007199254740993',
      'Infinity',
      '%20',
      '%00',
      '%E0%A4%A',
      '1'.repeat(150),
    ),
    urlText,
  );

/** A board key: the boards that exist (global, and `fuzz`, made at the start), valid unknown keys, and anything else. */
const BOARD_KEYS = ['global', 'fuzz'];
const boardKey = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...BOARD_KEYS) },
  fc.stringMatching(/^[a-z0-9-]{1,33}$/),
  fc.constantFrom('Global', 'a b', 'k'.repeat(33), 'global ', '..', '%2F', 'a%00'),
  urlText,
);
/** A period number: real ones, the edges of 1…2^31−1, and anything else. */
const periodNumber = fc.oneof(
  fc.integer({ min: -2, max: 4 }).map(String),
  fc.constantFrom('01', '1.5', '1e1', '2147483647', '2147483648', '99999999999'),
  urlText,
);
/**
 * Board fields. No generated schedule closes a period during the run (a close would change the database under a
 * rejected request): valid resets are `never` and yearly, the rest is refused (bad crons, periods under 5 s).
 */
const boardFields = {
  name: weirdText,
  reset: fc.oneof(
    weirdText,
    fc.constantFrom('never', '0 0 1 1 *', '0 0 0 1 1 *', '*/4 * * * * *', '61 * * * *', '@daily', 'yearly', '* * * *', '0 0 30 2 *'),
  ),
  timezone: fc.oneof(weirdText, fc.constantFrom('UTC', 'Europe/Paris', 'europe/paris', 'Mars/Olympus', '+01:00')),
  maxIncrement: integerish,
};
const boardDefinition = nearly({
  key: fc.oneof(boardKey, weirdText),
  order: fc.oneof(weirdText, fc.constantFrom('desc', 'asc')),
  operator: fc.oneof(weirdText, fc.constantFrom('incr', 'best', 'latest', 'max')),
  ...boardFields,
});

/** Body generators by route (method + OpenAPI path): a route the document lists without one fails the test. */
const BODIES: Record<string, fc.Arbitrary<unknown>> = {
  'POST /api/users': nearly({ name: weirdText }),
  'POST /api/boards': boardDefinition,
  'PATCH /api/boards/{key}': fc.oneof(nearly(boardFields), boardDefinition),
  'POST /api/boards/{key}/reset': fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, anyJson),
  'POST /api/boards/{key}/scores': nearly({ userId: integerish, score: integerish, actionId: weirdText }),
  'POST /api/users/{id}/score': nearly({ score: integerish, actionId: weirdText }),
  'POST /api/users/{id}/ban': nearly({ reason: fc.oneof(weirdText, fc.constantFrom('x'.repeat(200), 'x'.repeat(201))) }),
  'POST /api/users/{id}/adjustments': nearly({ points: integerish, reason: weirdText, board: boardKey }),
  'POST /api/auth/dev-token': nearly({
    sub: fc.oneof(weirdText, integerish),
    name: weirdText,
    scope: fc.oneof(weirdText, fc.constantFrom('scores:write', 'users:write scores:write')),
  }),
};
/** Path parameters by name. */
const PARAMS: Record<string, (ids: number[]) => fc.Arbitrary<string>> = {
  id: pathId,
  userId: pathId,
  key: () => boardKey,
  period: () => periodNumber,
};
/** A board's room: `leaderboard:{key}` for any generated key (known, unknown, malformed). */
const boardRoom = boardKey.map((key) => `leaderboard:${decodeURIComponentSafe(key)}`);
/** Socket events (from the gateways' @SubscribeMessage) and their payloads. */
const PAYLOADS: Record<string, (ids: number[]) => fc.Arbitrary<unknown>> = {
  subscribe: () =>
    fc.oneof(
      nearly({ room: fc.oneof(weirdText, boardRoom, fc.constantFrom('leaderboard', 'me', 'leaderboard:global')) }),
      nearly({ room: fc.constant('me'), board: boardKey }),
      fc.constantFrom(undefined, 'leaderboard'),
    ),
  unsubscribe: () =>
    fc.oneof(
      nearly({ room: fc.oneof(weirdText, boardRoom, fc.constantFrom('leaderboard', 'me')) }),
      nearly({ room: fc.constant('me'), board: boardKey }),
      fc.constantFrom(undefined, 42),
    ),
  'score:update': (ids) =>
    fc.oneof(
      nearly({ userId: fc.oneof(fc.constantFrom(...ids), integerish), score: integerish, actionId: weirdText }),
      fc.constantFrom(undefined, 'x', 7),
    ),
};

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/xml',
  'text/xml',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'application/vnd.api+json',
  'application/x-www-form-urlencoded',
  'application/json; charset=latin1',
  'foo/bar',
  ';;',
];
const headerText = fc.string({ unit: 'grapheme-ascii', maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, ''));

// ---- the app, its routes and events ------------------------------------------------------------------------
interface Route {
  method: string;
  path: string;
}

/** Every route the OpenAPI document lists, so routes added later are covered (and need a generator). */
async function documentedRoutes(app: TestApp): Promise<Route[]> {
  const { body } = await app.request<{ paths: Record<string, Record<string, unknown>> }>('GET', '/api/docs-json');
  return Object.entries(body.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path })),
  );
}

/** Every event a gateway of the app handles. */
function socketEvents(app: TestApp): string[] {
  const events = new Set<string>();
  for (const module of app.app.get(ModulesContainer).values()) {
    for (const { metatype } of module.providers.values()) {
      if (typeof metatype !== 'function' || !Reflect.getMetadata(GATEWAY_METADATA, metatype)) continue;
      for (const name of Object.getOwnPropertyNames(metatype.prototype)) {
        const handler = metatype.prototype[name];
        if (typeof handler === 'function' && Reflect.getMetadata(MESSAGE_MAPPING_METADATA, handler))
          events.add(Reflect.getMetadata(MESSAGE_METADATA, handler));
      }
    }
  }
  return [...events];
}

/** Row count and content hash of every table: any change a request makes shows. */
async function fingerprint(db: TestDatabase): Promise<Record<string, string>> {
  const tables = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'migrations' ORDER BY 1`,
  );
  const result: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await db.query<{ n: string; h: string }>(
      `SELECT count(*) AS n, md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) AS h FROM "${name}" t`,
    );
    result[name] = `${row.n}:${row.h}`;
  }
  return result;
}

function expectErrorShape(status: number, body: unknown, what: string): void {
  expect({ what, status }).toEqual({ what, status: expect.any(Number) });
  expect(body).toEqual({ statusCode: status, message: expect.anything(), error: expect.any(String) });
  const { message } = body as { message: unknown };
  expect(typeof message === 'string' || (Array.isArray(message) && message.every((m) => typeof m === 'string'))).toBe(true);
  expect(JSON.stringify(body)).not.toMatch(/ at .*\.(ts|js):\d|node_modules|QueryFailedError/);
}

describe('input fuzz: no input reaches a 5xx, errors keep the contract shape, rejected input changes nothing', () => {
  let db: TestDatabase;
  let sut: TestApp;
  let ids: number[];
  let tokens: fc.Arbitrary<string | undefined>;

  beforeAll(async () => {
    db = await createTestDatabase();
    sut = await startApp({
      DATABASE_URL: db.url,
      REDIS_URL: 'redis://127.0.0.1:6379',
      SCORE_RATE_LIMIT: '0',
      IP_RATE_LIMIT: '0',
      DEV_TOKENS: 'true',
    });
    ids = [];
    for (const name of ['Ann', 'Bob'])
      ids.push((await sut.request('POST', '/api/users', { body: { name }, token: backendToken() })).body.id);
    const everyScope = 'scores:write users:write boards:write scores:admin users:admin';
    expect(
      (await sut.request('POST', '/api/boards', { body: { key: 'fuzz', name: 'Fuzz' }, token: token({ scope: everyScope }) })).status,
    ).toBe(201);
    // Mostly tokens that may do something, so the generated input reaches the validation behind the guard
    tokens = fc.oneof(
      { weight: 4, arbitrary: fc.constant(token({ scope: everyScope })) },
      { weight: 2, arbitrary: fc.constantFrom(...ids.map(playerToken)) },
      fc.constantFrom(undefined, backendToken(), 'garbage', unsignedToken({ sub: String(ids[0]) })),
      fc.constantFrom(
        rawToken({ alg: 'HS256' }, { sub: String(ids[0]), exp: epoch(-120) }),
        token({ sub: String(ids[0]), scope: 42 as unknown as string }),
        token({ sub: 42 as unknown as string }),
      ),
      headerText,
    );
  });
  afterAll(async () => {
    await sut?.close();
    await db?.drop();
  });

  it('has a generator for every documented route and every socket event', async () => {
    const routes = await documentedRoutes(sut);
    expect(routes.length).toBeGreaterThanOrEqual(6); // the control: the document was read
    const params = routes.flatMap((route) => [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
    const missing = [
      ...routes
        .filter((route) => route.method !== 'GET' && route.method !== 'DELETE' && !BODIES[`${route.method} ${route.path}`])
        .map((route) => `body of ${route.method} ${route.path}`),
      ...params.filter((name) => !PARAMS[name]).map((name) => `path parameter {${name}}`),
      ...socketEvents(sut)
        .filter((event) => !PAYLOADS[event])
        .map((event) => `socket event ${event}`),
    ];
    expect(missing).toEqual([]);
    expect(socketEvents(sut)).toContain('score:update');
  });

  it('HTTP: every route, generated requests', async () => {
    const routes = await documentedRoutes(sut);
    const request = fc
      .constantFrom(...routes)
      .chain((route) => fc.record({ route: fc.constant(route), json: BODIES[`${route.method} ${route.path}`] ?? fc.constant(undefined) }))
      .chain(({ route, json }) =>
        fc.record({
          route: fc.constant(route),
          json: fc.constant(json),
          params: fc.record(Object.fromEntries(Object.entries(PARAMS).map(([name, arb]) => [name, arb(ids)]))),
          query: fc.array(
            fc.tuple(
              fc.oneof(fc.constantFrom('limit', 'page', 'order', 'ids', 'before', 'board', 'admin'), urlText),
              fc.oneof(
                integerish.map((v) => encode(String(v as number))),
                urlText,
                fc.constantFrom('score+desc', 'score%20asc'),
              ),
            ),
            { maxLength: 3 },
          ),
          contentType: fc.oneof(
            { weight: 5, arbitrary: fc.constant('application/json') },
            { weight: 4, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
            headerText,
          ),
          raw: fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, weirdText),
          auth: tokens,
          extra: fc.record(
            { 'x-request-id': headerText, 'x-forwarded-for': headerText, 'if-none-match': headerText, accept: headerText },
            { requiredKeys: [] },
          ),
        }),
      );
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(request, async ({ route, json, params, query, contentType, raw, auth, extra }) => {
        const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name]);
        const search = query.map(([key, value]) => `${key}=${value}`).join('&');
        const hasBody = route.method !== 'GET' && route.method !== 'HEAD';
        const form =
          contentType.startsWith('application/x-www-form-urlencoded') && json && typeof json === 'object' && !Array.isArray(json);
        const body = hasBody
          ? (raw ?? (form ? new URLSearchParams(json as Record<string, string>).toString() : (JSON.stringify(json) ?? 'null')))
          : undefined;
        const before = await fingerprint(db);
        const res = await sut.request(route.method, `${path}${search ? `?${search}` : ''}`, {
          body,
          token: auth,
          headers: { ...extra, ...(hasBody ? { 'content-type': contentType } : {}) },
        });
        const what = `${route.method} ${path}?${search} [${contentType}] ${String(body).slice(0, 200)}`;
        statuses.add(res.status);
        expect({ what, status: res.status < 500 }).toEqual({ what, status: true });
        // A body that is not JSON is refused whatever it says (contract §3), so only a JSON content type may succeed
        if (hasBody && !/^application\/json\s*(;|$)/i.test(contentType))
          expect({ what, refused: res.status >= 400 }).toEqual({ what, refused: true });
        if (res.status >= 400) {
          expectErrorShape(res.status, res.body, what);
          expect({ what, db: await fingerprint(db) }).toEqual({ what, db: before });
        }
      }),
      { numRuns: RUNS },
    );
    // The control: generated requests got past every layer (success, validation, auth, lookup), not only the first
    const seen = (test: (status: number) => boolean) => [...statuses].some(test);
    expect({
      success: seen((s) => s < 300),
      invalid: seen((s) => s === 400),
      auth: seen((s) => s === 401 || s === 403),
      unknown: seen((s) => s === 404),
    }).toEqual({ success: true, invalid: true, auth: true, unknown: true });
  });

  describe('Socket.IO: every event, generated payloads', () => {
    let sockets: Socket[];
    beforeAll(async () => {
      sockets = [await connectSocket(sut.url, backendToken()), await connectSocket(sut.url, playerToken(ids[0]))];
    });
    afterAll(() => sockets?.forEach((socket) => socket.close()));

    it('acks every payload without a 5xx; a refused one changes nothing', async () => {
      const events = socketEvents(sut);
      const message = fc
        .constantFrom(...events)
        .chain((event) => fc.record({ event: fc.constant(event), payload: PAYLOADS[event](ids), socket: fc.constantFrom(0, 1) }));
      await fc.assert(
        fc.asyncProperty(message, async ({ event, payload, socket }) => {
          const before = await fingerprint(db);
          const ack = await emitWithAck<{ ok: boolean; error?: { statusCode: number; message: unknown } }>(sockets[socket], event, payload);
          const what = `${event} ${JSON.stringify(payload)}`;
          expect({ what, ok: typeof ack.ok }).toEqual({ what, ok: 'boolean' });
          if (!ack.ok) {
            expect({ what, statusCode: ack.error!.statusCode < 500 }).toEqual({ what, statusCode: true });
            expectErrorShape(ack.error!.statusCode, ack.error, what);
            expect({ what, db: await fingerprint(db) }).toEqual({ what, db: before });
          }
        }),
        { numRuns: SOCKET_RUNS },
      );
      expect(sockets.every((socket) => socket.connected)).toBe(true);
    });

    it('refuses a generated handshake token with Unauthorized, never an error of the server', async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(headerText, weirdText, fc.constant(unsignedToken({ sub: String(ids[0]) }))), async (forged) => {
          await expect(connectSocket(sut.url, forged || 'x')).rejects.toThrow(/^(Unauthorized|Too many requests)$/);
        }),
        { numRuns: Math.ceil(RUNS / 10) },
      );
    });
  });
});
