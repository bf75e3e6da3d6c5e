import { Logger } from '@nestjs/common';
import { KeyObject, webcrypto } from 'node:crypto';
import { createRemoteJWKSet, customFetch, FetchImplementation } from 'jose';

/** Contract §2: an unknown `kid` refetches the set at most once every 30 s (so a new key is accepted within 35 s). */
export const JWKS_COOLDOWN_MS = 30_000;
/** However fetches end (a failing provider, a set jose rejects), the next one waits this long: no flood on outages. */
export const JWKS_MIN_FETCH_INTERVAL_MS = 5_000;
/** A key the provider withdrew stops being accepted after this long even if no unknown `kid` triggers a refetch. */
export const JWKS_REFRESH_MS = 10 * 60_000;

/**
 * The public keys of an identity provider's JWKS endpoint, through jose's remote key set (fetching, caching, `kid`/
 * `alg`/`use` matching, the cooldown). Its cache never expires on its own (`cacheMaxAge: Infinity`), so a request
 * never waits for, or fails with, a refresh of keys it already has: the last good set keeps working while the
 * provider is down. Refreshes happen on an unknown `kid` and, in the background, every JWKS_REFRESH_MS.
 */
export class JwksKeys {
  private readonly logger = new Logger(JwksKeys.name);
  private readonly remote: ReturnType<typeof createRemoteJWKSet>;
  private readonly keyObjects = new WeakMap<object, KeyObject>();
  private fetchedAt = -Infinity;
  private attemptedAt = -Infinity;

  constructor(url: string) {
    const throttled: FetchImplementation = (href, options) => this.fetch(href, options);
    this.remote = createRemoteJWKSet(new URL(url), { cooldownDuration: JWKS_COOLDOWN_MS, cacheMaxAge: Infinity, [customFetch]: throttled });
  }

  /** The set's key for this `alg` named `kid` (`use` absent or `sig`), or undefined when there is none. */
  async key(alg: string, kid: string): Promise<KeyObject | undefined> {
    this.refreshWhenOld();
    let cryptoKey: webcrypto.CryptoKey;
    try {
      cryptoKey = await this.remote({ alg, kid });
    } catch {
      return undefined; // no such key (after at most one refetch per cooldown), two keys with that kid, or no set yet
    }
    let key = this.keyObjects.get(cryptoKey);
    if (!key) this.keyObjects.set(cryptoKey, (key = KeyObject.from(cryptoKey))); // jsonwebtoken verifies KeyObjects
    return key;
  }

  /** In the background: this request goes on with the keys at hand. A first load is the request's own fetch. */
  private refreshWhenOld(): void {
    const now = Date.now();
    if (this.fetchedAt === -Infinity || now - this.fetchedAt < JWKS_REFRESH_MS || now - this.attemptedAt < JWKS_MIN_FETCH_INTERVAL_MS)
      return;
    this.remote.reload().catch(() => undefined); // logged by fetch(); the last good set stays
  }

  private async fetch(href: string, options: Parameters<FetchImplementation>[1]): Promise<Response> {
    if (Date.now() - this.attemptedAt < JWKS_MIN_FETCH_INTERVAL_MS) throw new Error('JWKS fetched less than 5 s ago');
    this.attemptedAt = Date.now();
    try {
      const response = await fetch(href, options);
      if (response.ok) this.fetchedAt = Date.now();
      else this.logger.warn(`JWKS endpoint answered ${response.status}; the keys fetched last stay in use`);
      return response;
    } catch (error) {
      this.logger.warn(`JWKS endpoint unreachable (${(error as Error).message}); the keys fetched last stay in use`);
      throw error;
    }
  }
}
