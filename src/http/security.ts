import helmet from '@fastify/helmet';
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

/** Security headers on every response and CORS from the CORS_ORIGINS allow-list (none: same origin only). */
export async function setupSecurity(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  await app.register(helmet, { global: true, contentSecurityPolicy: { directives: BOARD_CSP } });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      if (request.url.startsWith('/api/docs') && !request.url.startsWith('/api/docs-json')) reply.raw.setHeader('Content-Security-Policy', DOCS_CSP);
      done();
    });
  app.enableCors({
    origin: config.corsOrigins.length ? config.corsOrigins : false,
    methods: ['GET', 'POST'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    maxAge: 600,
  });
}
