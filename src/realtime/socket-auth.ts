import type { Socket } from 'socket.io';
import { bearerToken } from '../auth/jwt-auth.guard';
import { JwtVerifier } from '../auth/jwt-verifier.service';
import { Principal } from '../auth/principal';
import { IpRateLimiter } from '../rate-limit/ip-rate-limiter';
import { SocketData } from './socket.events';

/** Same as the verifier's clock tolerance: a token it still accepts is not cut off early. */
const EXPIRY_GRACE_SECONDS = 30;
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Socket.IO middleware: Nest guards do not run at connection time, so the handshake is verified here
 * (`auth.token`, or an `Authorization: Bearer` header). Any failure is the contract's `Unauthorized`.
 */
export function socketAuth(verifier: JwtVerifier, ipLimiter: IpRateLimiter) {
  const authenticate = async (socket: Socket, next: (error?: Error) => void): Promise<void> => {
    try {
      await ipLimiter.checkConnection(socket.handshake);
    } catch {
      return next(new Error('Too many requests'));
    }
    try {
      const fromAuth = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      const token = typeof fromAuth === 'string' && fromAuth ? fromAuth : bearerToken(socket.handshake.headers.authorization);
      (socket.data as SocketData).principal = await verifier.verify(token);
      next();
    } catch {
      next(new Error('Unauthorized'));
    }
  };
  return (socket: Socket, next: (error?: Error) => void): void => void authenticate(socket, next);
}

/** Disconnects the socket when its token expires (a longer-lived token is cut at ~24 days; the client reconnects). */
export function disconnectOnExpiry(socket: Socket, principal: Principal): void {
  const remaining = (principal.exp + EXPIRY_GRACE_SECONDS) * 1000 - Date.now();
  const timer = setTimeout(() => socket.disconnect(true), Math.min(Math.max(remaining, 0), MAX_TIMER_MS));
  timer.unref();
  socket.once('disconnect', () => clearTimeout(timer));
}
