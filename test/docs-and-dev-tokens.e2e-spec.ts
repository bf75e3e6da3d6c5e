import { startTestApp, TestContext } from './support/fixture';

describe('Swagger and dev tokens', () => {
  let withDevTokens: TestContext;
  let withoutDevTokens: TestContext;

  beforeAll(async () => {
    withDevTokens = await startTestApp({ env: { DEV_TOKENS: 'true' } });
    withoutDevTokens = await withDevTokens.startInstance({ DEV_TOKENS: 'false' });
  });

  it('serves Swagger UI and the OpenAPI document with bearer auth', async () => {
    const ui = await withDevTokens.request('GET', '/api/docs');
    expect(ui.status).toBe(200);
    expect(String(ui.body)).toContain('swagger');
    const doc = await withDevTokens.request('GET', '/api/docs-json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/users', '/api/users/{id}', '/api/users/{id}/score', '/api/auth/dev-token']),
    );
    expect(doc.body.components.securitySchemes).toHaveProperty('bearer');
  });

  it('issues tokens that work when DEV_TOKENS is on', async () => {
    const issued = await withDevTokens.request('POST', '/api/auth/dev-token', { body: { scope: 'users:write' } });
    expect(issued.status).toBe(201);
    expect(issued.body).toEqual({ accessToken: expect.any(String), expiresIn: 3600 });
    const created = await withDevTokens.request('POST', '/api/users', { body: { name: 'Dev' }, token: issued.body.accessToken });
    expect(created.status).toBe(201);
  });

  it('rejects invalid dev-token requests', async () => {
    const res = await withDevTokens.request('POST', '/api/auth/dev-token', { body: { scope: 'admin' } });
    expect(res.status).toBe(400);
  });

  it('is 404 when DEV_TOKENS is off', async () => {
    const res = await withoutDevTokens.request('POST', '/api/auth/dev-token', { body: { sub: '1' } });
    expect(res.status).toBe(404);
  });
});
