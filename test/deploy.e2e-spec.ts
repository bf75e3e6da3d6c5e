import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';

// No Docker engine here: check that the compose file, nginx config and Dockerfile agree with each other and the app
const ROOT = join(__dirname, '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const APP_PORT = 3000;

type Service = {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] | string };
  depends_on?: Record<string, { condition: string }>;
  expose?: string[];
};
const compose = load(read('docker-compose.yml')) as { services: Record<string, Service>; volumes: Record<string, unknown> };
// YAML merge keys (`<<: *app`), as docker compose applies them: js-yaml 5 leaves them as a plain key
for (const [name, service] of Object.entries(compose.services)) {
  const { '<<': base, ...own } = service as Service & { '<<'?: Service };
  compose.services[name] = { ...base, ...own };
}
const nginx = read('deploy/nginx.conf');
const dockerfile = read('Dockerfile');
/** The body of the one regex location: the micro-cached reads. */
const readsLocation = () => /location ~ \S+ \{([^}]*)\}/.exec(nginx)?.[1] ?? '';

describe('deployment files', () => {
  const apps = ['app1', 'app2'];

  it('compose: PostgreSQL and Redis with health checks and named volumes', () => {
    const { postgres, redis } = compose.services;
    expect(postgres.image).toMatch(/^postgres:\d+/);
    expect(redis.image).toMatch(/^redis:\d+/);
    expect(String(postgres.healthcheck?.test)).toContain('pg_isready');
    expect(String(redis.healthcheck?.test)).toContain('ping');
    expect(postgres.volumes?.[0]).toMatch(/^postgres-data:\/var\/lib\/postgresql\/data$/);
    expect(redis.volumes?.[0]).toBe('redis-data:/data');
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['postgres-data', 'redis-data']));
  });

  it('compose: two production app replicas built from the Dockerfile, wired to the postgres and redis services', () => {
    for (const name of apps) {
      const app = compose.services[name];
      expect(app.build).toBe('.');
      expect(app.environment).toMatchObject({
        NODE_ENV: 'production',
        PORT: String(APP_PORT),
        REDIS_URL: 'redis://redis:6379',
        DEV_TOKENS: 'false',
      });
      expect(new URL(app.environment!.DATABASE_URL.replace(/\$\{(\w+):-([^}]*)\}/g, '$2')).host).toBe('postgres:5432');
      expect(app.environment!.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?/);
      expect(app.expose).toEqual([String(APP_PORT)]);
    }
    expect(compose.services.app1.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    expect(compose.services.app2.depends_on).toEqual({ app1: { condition: 'service_healthy' } });
  });

  it('compose: nginx in front publishes the port and mounts deploy/nginx.conf', () => {
    const proxy = compose.services.nginx;
    expect(proxy.image).toMatch(/^nginx:/);
    expect(proxy.ports).toEqual(['${HTTP_PORT:-8080}:80']);
    expect(proxy.volumes).toEqual(['./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro']);
    expect(Object.keys(proxy.depends_on ?? {}).sort()).toEqual(apps);
  });

  it('nginx: balances over both replicas on the app port, listens where compose maps, upgrades WebSockets', () => {
    const upstream = /upstream scoreboard \{([^}]*)\}/.exec(nginx)?.[1] ?? '';
    const servers = [...upstream.matchAll(/server ([\w-]+):(\d+)/g)].map(([, host, port]) => `${host}:${port}`);
    expect(servers).toEqual(apps.map((name) => `${name}:${APP_PORT}`));
    expect(nginx).toMatch(/listen 80;/);
    const socketIo = /location \/socket\.io\/ \{([^}]*)\}/.exec(nginx)?.[1] ?? '';
    expect(socketIo).toContain('proxy_pass http://scoreboard;');
    expect(socketIo).toContain('proxy_set_header Upgrade $http_upgrade;');
    expect(socketIo).toContain('proxy_set_header Connection $connection_upgrade;');
    expect(nginx).toMatch(/map \$http_upgrade \$connection_upgrade/);
    expect(nginx).toMatch(/proxy_http_version 1\.1;/);
    const root = /location \/ \{([^}]*)\}/.exec(nginx)?.[1] ?? '';
    expect(root).toContain('proxy_pass http://scoreboard;');
    // A location that sets any proxy_set_header inherits none from the server block: each must set them all
    for (const location of [socketIo, root, readsLocation()]) {
      for (const header of [
        'Host $host',
        'X-Forwarded-For $proxy_add_x_forwarded_for',
        'X-Forwarded-Proto $scheme',
        'X-Request-Id $request_id',
      ]) {
        expect(location).toContain(`proxy_set_header ${header};`);
      }
    }
  });

  it('nginx: micro-caches the public reads for about a second, one request per URL to the app, stale while updating', () => {
    const zone = /proxy_cache_path (\S+) [^;]*keys_zone=(\w+):\w+[^;]*;/.exec(nginx);
    expect(zone?.[1]).toMatch(/^\/var\/cache\/nginx\//);
    const reads = readsLocation();
    expect(reads).toContain(`proxy_cache ${zone?.[2]};`);
    expect(reads).toContain('proxy_pass http://scoreboard;');
    expect(reads).toMatch(/proxy_cache_valid 200 1s;/);
    expect(reads).toContain('proxy_cache_lock on;');
    expect(reads).toMatch(/proxy_cache_use_stale [^;]*\bupdating\b/);
    expect(reads).toContain('proxy_cache_revalidate on;');
    // The cached routes are exactly the app's shared-cacheable reads, and never the socket path
    const pattern = new RegExp(/location ~ (\S+) \{/.exec(nginx)![1]);
    for (const path of ['/api/leaderboard', '/api/users', '/api/users/7', '/api/users/7/around'])
      expect({ path, cached: pattern.test(path) }).toEqual({ path, cached: true });
    for (const path of ['/socket.io/', '/api/docs', '/health', '/metrics', '/api/auth/dev-token', '/api/leaderboards'])
      expect({ path, cached: pattern.test(path) }).toEqual({ path, cached: false });
  });

  it('Dockerfile: multi-stage, production dependencies only, non-root, health check, the built app', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^FROM node:20[.\d]*-[\w-]+ AS build$/m);
    expect(dockerfile).toContain('npm prune --omit=dev');
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*\/health\/live/m);
    expect(dockerfile).toContain(`EXPOSE ${APP_PORT}`);
    expect(dockerfile).toContain('CMD ["node", "dist/main.js"]');
    expect(read('.dockerignore').split('\n')).toEqual(expect.arrayContaining(['node_modules', '.env', 'dist']));
  });

  it('.env.example documents every variable the compose file and the contract use', () => {
    const documented = new Set([...read('.env.example').matchAll(/^([A-Z_]+)=/gm)].map(([, name]) => name));
    const interpolated = [...read('docker-compose.yml').matchAll(/\$\{(\w+)/g)].map(([, name]) => name);
    const contract = [
      'PORT',
      'DATABASE_URL',
      'REDIS_URL',
      'JWT_SECRET',
      'JWT_PUBLIC_KEY',
      'JWT_ISSUER',
      'JWT_AUDIENCE',
      'SCORE_MAX_INCREMENT',
      'SCORE_RATE_LIMIT',
      'DEV_TOKENS',
      'WORKERS',
    ];
    for (const name of [...interpolated, ...contract])
      expect({ name, documented: documented.has(name) }).toEqual({ name, documented: true });
  });
});
