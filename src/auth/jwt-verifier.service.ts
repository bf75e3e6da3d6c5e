import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { createPublicKey, createSecretKey, KeyObject } from 'node:crypto';
import { Algorithm, decode, sign, verify } from 'jsonwebtoken';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Principal } from './principal';

const MAX_TOKEN_LENGTH = 4096;
const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * Verifies bearer tokens with the configured keys only, each pinned to its algorithm.
 * Keys are KeyObjects: jsonwebtoken verifies a string secret ~60× slower.
 */
@Injectable()
export class JwtVerifier {
  readonly keys = new Map<Algorithm, KeyObject>();
  private readonly secret?: KeyObject;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const { secret, publicKey } = config.jwt;
    if (secret) {
      this.secret = createSecretKey(Buffer.from(secret, 'utf8'));
      this.keys.set('HS256', this.secret);
    }
    if (publicKey) {
      const key = createPublicKey(publicKey);
      this.keys.set(key.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256', key);
    }
  }

  verify(token: string): Principal {
    if (token.length > MAX_TOKEN_LENGTH) throw new UnauthorizedException('Token too long');
    const algorithm = decode(token, { complete: true })?.header.alg as Algorithm | undefined;
    const key = algorithm && this.keys.get(algorithm);
    if (!algorithm || !key) throw new UnauthorizedException('Invalid token');
    let payload: Record<string, unknown>;
    try {
      payload = verify(token, key, {
        algorithms: [algorithm],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        issuer: this.config.jwt.issuer,
        audience: this.config.jwt.audience,
      }) as Record<string, unknown>;
    } catch (error) {
      throw new UnauthorizedException(error instanceof Error && error.name === 'TokenExpiredError' ? 'Token expired' : 'Invalid token');
    }
    if (typeof payload.exp !== 'number') throw new UnauthorizedException('Token has no exp');
    return {
      sub: typeof payload.sub === 'string' ? payload.sub : undefined,
      scopes: typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [],
      exp: payload.exp,
    };
  }

  /** Signs an HS256 token with the configured secret (dev tokens and tests). */
  sign(claims: { sub?: string; name?: string; scope?: string }, expiresInSeconds: number): string {
    if (!this.secret) throw new Error('JWT_SECRET is not configured');
    const { issuer, audience } = this.config.jwt;
    const defined = Object.fromEntries(Object.entries({ ...claims, iss: issuer, aud: audience }).filter(([, v]) => v !== undefined));
    return sign(defined, this.secret, { algorithm: 'HS256', expiresIn: expiresInSeconds });
  }
}
