import { availableParallelism } from 'node:os';
import { ConfigError, parseConfig } from './app-config';

const PRODUCTION = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://db.internal/scores',
  REDIS_URL: 'redis://cache.internal:6379',
  JWT_SECRET: 'a'.repeat(32),
};

describe('parseConfig', () => {
  it('accepts a complete production environment', () => {
    const sut = parseConfig(PRODUCTION);
    expect(sut).toMatchObject({ production: true, devTokens: false, scoreRateLimit: 60, ipRateLimit: 1200, corsOrigins: [] });
  });

  it.each([
    ['a JWT_SECRET shorter than 32 bytes', { JWT_SECRET: 'a'.repeat(31) }, /JWT_SECRET must be at least 32 bytes/],
    ['a secret of 31 bytes in multi-byte characters', { JWT_SECRET: 'é'.repeat(15) + 'a' }, /JWT_SECRET/],
    ['DEV_TOKENS=true', { DEV_TOKENS: 'true' }, /DEV_TOKENS must not be true/],
    ['DEV_TOKENS=1', { DEV_TOKENS: '1' }, /DEV_TOKENS/],
    ['no JWT key at all', { JWT_SECRET: undefined }, /JWT_SECRET \(or JWT_PUBLIC_KEY or JWT_JWKS_URL\) is required/],
    ['no DATABASE_URL', { DATABASE_URL: undefined }, /DATABASE_URL is required/],
    ['no REDIS_URL', { REDIS_URL: undefined }, /REDIS_URL is required/],
  ])('refuses production with %s', (_, override, message) => {
    expect(() => parseConfig({ ...PRODUCTION, ...override })).toThrow(ConfigError);
    expect(() => parseConfig({ ...PRODUCTION, ...override })).toThrow(message);
  });

  it('accepts a public key instead of a secret in production', () => {
    const sut = parseConfig({
      ...PRODUCTION,
      JWT_SECRET: undefined,
      JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\\nMFkw\\n-----END PUBLIC KEY-----',
    });
    expect(sut.jwt).toMatchObject({ secret: undefined, secretGenerated: false });
    expect(sut.jwt.publicKey).toContain('\n');
  });

  it('accepts a JWKS endpoint as the only key source in production, and only an http(s) URL', () => {
    const sut = parseConfig({ ...PRODUCTION, JWT_SECRET: undefined, JWT_JWKS_URL: 'https://tenant.eu.auth0.com/.well-known/jwks.json' });
    expect(sut.jwt).toMatchObject({
      secret: undefined,
      jwksUrl: 'https://tenant.eu.auth0.com/.well-known/jwks.json',
      secretGenerated: false,
    });
    expect(() => parseConfig({ ...PRODUCTION, JWT_JWKS_URL: 'ftp://idp.example/jwks' })).toThrow(
      /^Invalid configuration: JWT_JWKS_URL must use https: or http:/,
    );
    expect(() => parseConfig({ ...PRODUCTION, JWT_JWKS_URL: 'not a url' })).toThrow(
      /^Invalid configuration: JWT_JWKS_URL is not a valid URL/,
    );
  });

  it('never enables dev tokens by default outside the embedded dev mode', () => {
    expect(parseConfig({ DATABASE_URL: PRODUCTION.DATABASE_URL }).devTokens).toBe(false);
    expect(parseConfig({}).devTokens).toBe(true);
  });

  it('reads the rate limits and the CORS allow-list', () => {
    const sut = parseConfig({ SCORE_RATE_LIMIT: '0', IP_RATE_LIMIT: '30', CORS_ORIGINS: 'https://board.example, https://admin.example' });
    expect(sut).toMatchObject({ scoreRateLimit: 0, ipRateLimit: 30, corsOrigins: ['https://board.example', 'https://admin.example'] });
  });

  it.each([
    ['SCORE_RATE_LIMIT', '-1'],
    ['SCORE_RATE_LIMIT', 'ten'],
    ['IP_RATE_LIMIT', '1.5'],
  ])('names the bad variable %s=%s', (name, value) => {
    expect(() => parseConfig({ [name]: value })).toThrow(new RegExp(`^Invalid configuration: ${name} `));
  });

  it('reads REDIS_CLUSTER=true: REDIS_URL is the list of seed nodes', () => {
    const sut = parseConfig({
      ...PRODUCTION,
      REDIS_CLUSTER: 'true',
      REDIS_URL: 'redis://redis-1:7000, redis://redis-2:7000,rediss://redis-3:7000',
    });
    expect(sut.redisClusterNodes).toEqual(['redis://redis-1:7000', 'redis://redis-2:7000', 'rediss://redis-3:7000']);
    expect(parseConfig(PRODUCTION).redisClusterNodes).toBeUndefined();
  });

  it.each([
    [
      'a list of nodes without REDIS_CLUSTER',
      { REDIS_URL: 'redis://a:7000,redis://b:7000' },
      /^Invalid configuration: REDIS_URL lists several nodes: set REDIS_CLUSTER=true/,
    ],
    ['REDIS_CLUSTER=yes', { REDIS_CLUSTER: 'yes' }, /^Invalid configuration: REDIS_CLUSTER must be true or false/],
    [
      'REDIS_CLUSTER without REDIS_URL',
      { REDIS_CLUSTER: 'true', REDIS_URL: ' , ' },
      /^Invalid configuration: REDIS_URL must list the seed nodes/,
    ],
    [
      'a seed node that is not a redis URL',
      { REDIS_CLUSTER: 'true', REDIS_URL: 'redis://a:7000,http://b:7000' },
      /^Invalid configuration: REDIS_URL must use redis: or rediss:/,
    ],
    [
      'a key prefix with a hash tag on a cluster',
      { REDIS_CLUSTER: 'true', REDIS_PREFIX: 'app{1}:' },
      /^Invalid configuration: REDIS_PREFIX must not contain/,
    ],
  ])('refuses %s with one line naming the variable', (_, override, message) => {
    expect(() => parseConfig({ ...PRODUCTION, ...override })).toThrow(message);
  });

  it('reads WORKERS: 1 by default, an integer, or auto = one per core', () => {
    expect(parseConfig(PRODUCTION).workers).toBe(1);
    expect(parseConfig({ ...PRODUCTION, WORKERS: '3' }).workers).toBe(3);
    expect(parseConfig({ ...PRODUCTION, WORKERS: 'auto' }).workers).toBe(availableParallelism());
  });

  it.each([
    ['0', {}, /WORKERS must be between 1 and 256/],
    ['two', {}, /WORKERS must be an integer/],
    ['2', { DATABASE_URL: undefined, REDIS_URL: undefined, NODE_ENV: undefined }, /WORKERS must be 1 without DATABASE_URL and REDIS_URL/],
    ['2', { REDIS_URL: undefined, NODE_ENV: undefined }, /WORKERS must be 1 without/],
  ])('refuses WORKERS=%s %o', (value, override, message) => {
    expect(() => parseConfig({ ...PRODUCTION, WORKERS: value, ...override })).toThrow(message);
  });
});
