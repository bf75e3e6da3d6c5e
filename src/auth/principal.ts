/** Who is calling, as proven by a verified JWT. */
export interface Principal {
  /** The user's id as a string (RFC 7519), when the token is a player's. */
  sub?: string;
  scopes: string[];
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export const SCOPES = {
  scoresWrite: 'scores:write',
  usersWrite: 'users:write',
  scoresAdmin: 'scores:admin',
  usersAdmin: 'users:admin',
} as const;

export function hasScope(principal: Principal, scope: string): boolean {
  return principal.scopes.includes(scope);
}

/** A player may add only to their own score; the game backend (`scores:write`) to anyone's. */
export function canAddScore(principal: Principal, userId: number): boolean {
  return hasScope(principal, SCOPES.scoresWrite) || principal.sub === String(userId);
}

/** Who an admin action is attributed to in the audit log: the token's `sub`, or `client` (a service token). */
export const actorOf = (principal: Principal): string => principal.sub ?? 'client';

/** The player a token speaks for: its `sub` as a user id, when it is one. */
export function playerId(principal: Principal): number | undefined {
  const id = principal.sub !== undefined && /^[1-9]\d{0,15}$/.test(principal.sub) ? Number(principal.sub) : undefined;
  return id !== undefined && Number.isSafeInteger(id) ? id : undefined;
}
