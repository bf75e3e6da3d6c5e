import { sign, SignOptions } from 'jsonwebtoken';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-production-0123456789';

export type Claims = { sub?: string; scope?: string; [claim: string]: unknown };

/** Signs an HS256 token as the game backend or a player would present it (expiring in 10 minutes unless `exp` is set). */
export function token(claims: Claims, options: SignOptions = {}): string {
  const expiry: SignOptions = 'exp' in claims ? {} : { expiresIn: 600 };
  return sign(claims, TEST_JWT_SECRET, { algorithm: 'HS256', ...expiry, ...options });
}

export const backendToken = () => token({ scope: 'scores:write users:write' });
export const playerToken = (userId: number) => token({ sub: String(userId) });
/** Any verified token may watch the board: this one carries no rights at all. */
export const viewerToken = () => token({});

export interface Tokens {
  sign: (claims: Claims, options?: SignOptions) => string;
  /** `scores:write users:write`: the game backend. */
  backend: () => string;
  player: (userId: number) => string;
  viewer: () => string;
}

/** Token helpers whose every token also carries `extra` (e.g. the `iss` and `aud` an app checks). */
export function tokensWith(extra: Claims = {}): Tokens {
  const signWith = (claims: Claims, options?: SignOptions) => token({ ...extra, ...claims }, options);
  return {
    sign: signWith,
    backend: () => signWith({ scope: 'scores:write users:write' }),
    player: (userId) => signWith({ sub: String(userId) }),
    viewer: () => signWith({}),
  };
}
