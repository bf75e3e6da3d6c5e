import { sign, SignOptions } from 'jsonwebtoken';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-production-0123456789';

/** Signs an HS256 token as the game backend or a player would present it. */
export function token(claims: { sub?: string; scope?: string; [claim: string]: unknown }, options: SignOptions = {}): string {
  const expiry: SignOptions = 'exp' in claims ? {} : { expiresIn: 600 };
  return sign(claims, TEST_JWT_SECRET, { algorithm: 'HS256', ...expiry, ...options });
}

export const backendToken = () => token({ scope: 'scores:write users:write' });
export const playerToken = (userId: number) => token({ sub: String(userId) });
