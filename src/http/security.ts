import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from '../config/app-config';

/** The board page is same-origin: scripts and styles from 'self' only, live updates over ws/wss. */
const BOARD_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'", 'ws:', 'wss:'],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
};

// Swagger UI's page and React components use inline styles; only /api/docs gets 'unsafe-inline' styles
const DOCS_CSP = Object.entries({ ...BOARD_CSP, styleSrc: ["'self'", "'unsafe-inline'"] })
  .map(([name, values]) => `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${values.join(' ')}`)
  .join('; ');

/**
 * helmet's headers for a configuration, computed once: they depend on the configuration only (no nonces), and
 * @fastify/helmet would rebuild helmet — re-parsing the CSP — on every request (3–6% of a request's CPU).
 */
export function helmetHeaders(options: Parameters<typeof helmet>[0]): { set: [string, string][]; removed: string[] } {
  const set: [string, string][] = [];
  const removed: string[] = [];
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => void set.push([name, String(value)]),
    removeHeader: (name: string) => void removed.push(name),
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error instanceof Error ? error : new Error('helmet failed');
  });
  return { set, removed };
}

/** Security headers on every response and CORS from the CORS_ORIGINS allow-list (none: same origin only). */
export function setupSecurity(app: NestFastifyApplication, config: AppConfig): void {
  const { set, removed } = helmetHeaders({ contentSecurityPolicy: { directives: BOARD_CSP } });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      const raw = reply.raw;
      for (const name of removed) raw.removeHeader(name);
      for (let i = 0; i < set.length; i++) raw.setHeader(set[i][0], set[i][1]);
      if (request.url.startsWith('/api/docs') && !request.url.startsWith('/api/docs-json'))
        raw.setHeader('Content-Security-Policy', DOCS_CSP);
      done();
    });
  app.enableCors({
    origin: config.corsOrigins.length ? config.corsOrigins : false,
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    maxAge: 600,
  });
}
