import { generateKeyPairSync, JsonWebKey, KeyObject, randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { sign } from 'jsonwebtoken';

export interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyObject;
  /** The public JWK as the provider publishes it (plus `kid`, `use`, `alg` when given). */
  jwk: JsonWebKey & { kid: string };
}

/** A new key pair with a random `kid`; `jwk` fields (e.g. `use: 'enc'`) override what is published. */
export function signingKey(alg: 'RS256' | 'ES256' = 'RS256', jwk: Record<string, unknown> = {}): SigningKey {
  const { publicKey, privateKey } =
    alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = randomBytes(6).toString('hex');
  return { kid, alg, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', ...jwk } };
}

/** A token the identity provider would issue with this key (`kid` in the header). */
export const providerToken = (key: SigningKey, claims: Record<string, unknown>, kid = key.kid) =>
  sign(claims, key.privateKey, { algorithm: key.alg, keyid: kid, expiresIn: 600 });

/** An identity provider's JWKS endpoint on a loopback port: the test sets the keys, takes it down and counts fetches. */
export class JwksServer {
  keys: SigningKey[] = [];
  /** While set, every fetch is answered with this status (the provider is down). */
  failWith?: number;
  fetches = 0;
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((_request, response) => {
      this.fetches++;
      if (this.failWith) return void response.writeHead(this.failWith).end();
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: this.keys.map((key) => key.jwk) }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/.well-known/jwks.json`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
