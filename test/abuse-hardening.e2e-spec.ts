import { startTestApp, TestContext } from './support/fixture';
import { launchChromium } from './support/browser';
import { playerToken } from './support/tokens';

const ALLOWED = 'https://board.example';

describe('abuse: security headers, CORS and error bodies', () => {
  let sut: TestContext;

  beforeAll(async () => {
    sut = await startTestApp({ env: { CORS_ORIGINS: `${ALLOWED},https://admin.example` } });
  });

  it('sends a strict CSP and the usual security headers', async () => {
    const { headers } = await sut.request('GET', '/api/users');
    const csp = headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self';");
    expect(csp).toContain("connect-src 'self' ws: wss:");
    expect(csp).not.toContain('unsafe-inline');
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(headers.get('strict-transport-security')).toContain('max-age=');
    expect(headers.get('x-powered-by')).toBeNull();
  });

  it('allows inline styles only on the Swagger UI, which still renders with no CSP violation', async () => {
    const page = await fetch(`${sut.url}/api/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("style-src 'self' 'unsafe-inline'");
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");

    const browser = await launchChromium();
    try {
      const tab = await browser.newPage();
      const violations: string[] = [];
      tab.on('console', (message) => message.text().includes('Content Security Policy') && violations.push(message.text()));
      await tab.goto(`${sut.url}/api/docs`);
      await tab.getByText('Live score board').first().waitFor({ timeout: 10_000 });
      await tab.locator('.opblock').first().waitFor({ timeout: 10_000 });
      expect(violations).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('answers CORS for allow-listed origins only', async () => {
    const preflight = (origin: string) =>
      fetch(`${sut.url}/api/users/1/score`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
    const allowed = await preflight(ALLOWED);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    const refused = await preflight('https://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await sut.request('GET', '/api/users', { headers: { origin: 'https://evil.example' } });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });

  it.each([
    ['an unknown route', 'GET', '/api/nope', 404],
    ['a wrong method', 'PUT', '/api/users/1', 404],
    ['a path traversal', 'GET', '/api/../../etc/passwd', 404],
  ])('keeps internals out of the error body for %s', async (_, method, path, status) => {
    const res = await sut.request(method, path, { token: playerToken(1) });
    expect(res.status).toBe(status);
    expect(Object.keys(res.body).sort()).toEqual(['error', 'message', 'statusCode']);
    expect(JSON.stringify(res.body)).not.toMatch(/ at |node_modules|\/work\//);
  });
});
