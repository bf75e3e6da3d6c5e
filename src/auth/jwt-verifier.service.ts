import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { createPublicKey, createSecretKey, KeyObject } from 'node:crypto';
import { Algorithm, decode, JwtHeader, sign, verify } from 'jsonwebtoken';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { JwksKeys } from './jwks-keys';
import { Principal } from './principal';

const MAX_TOKEN_LENGTH = 4096;
const CLOCK_TOLERANCE_SECONDS = 30;
const JWKS_ALGORITHMS: readonly string[] = ['RS256', 'ES256'];

/**
 * Verifies bearer tokens with the configured keys only, each pinned to its algorithm: HS256 with JWT_SECRET,
 * RS256/ES256 with the JWT_JWKS_URL key named by the token's `kid`, else with JWT_PUBLIC_KEY.
 * Keys are KeyObjects: jsonwebtoken verifies a string secret ~60× slower.
 */
@Injectable()
export class JwtVerifier {
  /** The static keys by the one algorithm each may verify. */
  readonly keys = new Map<Algorithm, KeyObject>();
  private readonly secret?: KeyObject;
  private readonly jwks?: JwksKeys;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const { secret, publicKey, jwksUrl } = config.jwt;
    if (secret) {
      this.secret = createSecretKey(Buffer.from(secret, 'utf8'));
      this.keys.set('HS256', this.secret);
    }
    if (publicKey) {
      const key = createPublicKey(publicKey);
      this.keys.set(key.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256', key);
    }
    if (jwksUrl) this.jwks = new JwksKeys(jwksUrl);
  }

  async verify(token: string): Promise<Principal> {
    if (token.length > MAX_TOKEN_LENGTH) throw new UnauthorizedException('Token too long');
    const header = decode(token, { complete: true })?.header;
    const key = header && (await this.keyFor(header));
    if (!header || !key) throw new UnauthorizedException('Invalid token');
    let payload: Record<string, unknown>;
    try {
      payload = verify(token, key, {
        algorithms: [header.alg as Algorithm],
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

  /** The one key a token with this header may be verified with; the JWKS only for a `kid`, never for HS256. */
  private async keyFor({ alg, kid }: JwtHeader): Promise<KeyObject | undefined> {
    if (this.jwks && typeof kid === 'string' && JWKS_ALGORITHMS.includes(alg)) {
      const key = await this.jwks.key(alg, kid);
      if (key) return key;
    }
    return this.keys.get(alg as Algorithm);
  }
}
