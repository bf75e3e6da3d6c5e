import { onTeardown, startTestApp, TestContext } from './support/fixture';
import { counter } from './support/metrics';
import { token } from './support/tokens';
import { waitUntil } from './support/wait';

// nestjs-pino keeps one root logger per process (per Jest file): this file's only app logs at info, where audit lines are
describe('moderation: the audit trail', () => {
  let t: TestContext;
  const lines: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ env: { LOG_LEVEL: 'info' } });
    const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      lines.push(String(chunk));
      return write(chunk, ...rest);
    });
    onTeardown(() => spy.mockRestore());
  });

  const audit = () =>
    lines
      .flatMap((line) => line.split('\n'))
      .filter((line) => line.includes('"audit":true'))
      .map((line) => JSON.parse(line));

  it('logs every admin action that happened as one structured line (who, what, target, reason) and counts it in admin_actions_total', async () => {
    const [u] = await t.createUsers(['Audited']);
    const admin = token({ sub: '4242', scope: 'users:admin scores:admin' });
    const service = token({ scope: 'users:admin scores:admin' });
    const counts = async () =>
      Promise.all(['ban', 'unban', 'adjust', 'erase'].map((a) => counter(t, 'admin_actions_total', `action="${a}"`)));
    const before = await counts();
    expect((await t.request('POST', `/api/users/${u}/ban`, { body: { reason: 'audit me' }, token: admin })).status).toBe(200);
    expect((await t.request('DELETE', `/api/users/${u}/ban`, { token: service })).status).toBe(200);
    expect((await t.request('POST', `/api/users/${u}/adjustments`, { body: { points: 3, reason: 'bonus' }, token: admin })).status).toBe(
      200,
    );
    expect((await t.request('DELETE', `/api/users/${u}`, { token: admin })).status).toBe(204);
    // Refused or pointless actions are not audited: nothing happened
    expect((await t.request('POST', '/api/users/999999/ban', { body: { reason: 'never happened' }, token: admin })).status).toBe(404);
    await waitUntil('four audit lines', () => audit().length >= 4, 5000);
    expect(audit()).toEqual([
      expect.objectContaining({ who: '4242', action: 'ban', target: { userId: u }, reason: 'audit me' }),
      expect.objectContaining({ who: 'client', action: 'unban', target: { userId: u } }),
      expect.objectContaining({ who: '4242', action: 'adjust', target: { userId: u, board: 'global', points: 3 }, reason: 'bonus' }),
      expect.objectContaining({ who: '4242', action: 'erase', target: { userId: u } }),
    ]);
    expect(await counts()).toEqual(before.map((n) => n + 1));
  });
});
