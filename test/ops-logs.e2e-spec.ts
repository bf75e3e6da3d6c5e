import { onTeardown, startTestApp, TestContext } from './support/fixture';
import { backendToken } from './support/tokens';
import { waitUntil } from './support/wait';

// nestjs-pino keeps one root logger per process (per Jest file): this file's only app sets its level
describe('operations: JSON request logs', () => {
  let sut: TestContext;
  const lines: string[] = [];

  beforeAll(async () => {
    sut = await startTestApp({ env: { LOG_LEVEL: 'info' } });
    const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      lines.push(String(chunk));
      return write(chunk, ...rest);
    });
    onTeardown(() => spy.mockRestore());
  });

  const entries = () =>
    lines
      .flatMap((line) => line.split('\n'))
      .filter(Boolean)
      .map((line) => JSON.parse(line));

  it('logs one JSON line per request with the caller’s request id, echoed back, and never the token', async () => {
    const token = backendToken();
    const res = await sut.request('POST', '/api/users', { body: { name: 'Logged' }, token, headers: { 'x-request-id': 'trace-42' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe('trace-42');
    await waitUntil('the request log line', () => entries().some((e) => e.reqId === 'trace-42'), 5000);
    const logged = entries().filter((e) => e.reqId === 'trace-42');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 30,
      context: 'http',
      msg: 'request completed',
      method: 'POST',
      path: '/api/users',
      route: '/api/users',
      status: 201,
    });
    expect(lines.join('')).not.toContain(token.split('.')[2]);
  });

  it('makes an id when the caller sends none (or an unsafe one) and drops query strings', async () => {
    const res = await sut.request('GET', '/api/users?limit=1&page=0', { headers: { 'x-request-id': 'not a sane id: <script>' } });
    const id = res.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await waitUntil('the request log line', () => entries().some((e) => e.reqId === id), 5000);
    expect(entries().find((e) => e.reqId === id)).toMatchObject({ path: '/api/users', status: 200 });
  });

  it('does not log health probes and metrics scrapes', async () => {
    await sut.request('GET', '/health/live', { headers: { 'x-request-id': 'probe-1' } });
    await sut.request('GET', '/api/users/1', { headers: { 'x-request-id': 'after-probe' } });
    await waitUntil('the next request log line', () => entries().some((e) => e.reqId === 'after-probe'), 5000);
    expect(entries().some((e) => e.reqId === 'probe-1')).toBe(false);
  });
});
