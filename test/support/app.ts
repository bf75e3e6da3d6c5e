import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import { parseConfig } from '../../src/config/app-config';
import { TEST_JWT_SECRET } from './tokens';

export interface HttpResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestApp {
  app: NestFastifyApplication;
  url: string;
  /** JSON over real HTTP; resolves with the status and parsed body. */
  request<T = any>(
    method: string,
    path: string,
    options?: { body?: unknown; token?: string; headers?: Record<string, string> },
  ): Promise<HttpResponse<T>>;
  close(): Promise<void>;
}

/** Boots the real AppModule on a random port with the given env (tests use fixture.ts, which builds on this). */
export async function startApp(env: Record<string, string | undefined>): Promise<TestApp> {
  const config = parseConfig({
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'warn',
    TRUST_PROXY: 'true', // lets tests act as several clients through X-Forwarded-For
    ...env,
  });
  const app = await createApp(config);
  app.useLogger(['error', 'warn']);
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  return {
    app,
    url,
    async request(method, path, { body, token, headers = {} } = {}) {
      const response = await fetch(url + path, {
        method,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON: keep the text */
      }
      return { status: response.status, body: parsed as any, headers: response.headers };
    },
    close: () => app.close(),
  };
}
