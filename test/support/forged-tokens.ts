import { createHmac, generateKeyPairSync, KeyObject } from 'node:crypto';
import { sign } from 'jsonwebtoken';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** A token assembled by hand, so a test can forge what no library would sign. */
export function rawToken(header: Record<string, unknown>, payload: Record<string, unknown>, hmacKey?: string | Buffer): string {
  const unsigned = `${b64(header)}.${b64(payload)}`;
  const signature = hmacKey === undefined ? '' : createHmac('sha256', hmacKey).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

/** `alg: none`: no signature at all. */
export const unsignedToken = (claims: Record<string, unknown>) => rawToken({ alg: 'none', typ: 'JWT' }, { exp: now() + 600, ...claims });

/** HS256 with the given text as the HMAC secret (e.g. a public key's PEM: the classic key-confusion attack). */
export const hmacToken = (claims: Record<string, unknown>, secret: string) =>
  rawToken({ alg: 'HS256', typ: 'JWT' }, { exp: now() + 600, ...claims }, secret);

/** An RSA key pair for an app configured with JWT_PUBLIC_KEY. */
export function rsaKeyPair(): { publicPem: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey };
}

export const rs256Token = (claims: Record<string, unknown>, privateKey: KeyObject) =>
  sign(claims, privateKey, { algorithm: 'RS256', expiresIn: 600 });

/** Seconds since the epoch, `offset` from now. */
export const epoch = (offset = 0) => now() + offset;
