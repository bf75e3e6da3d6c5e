/** One request to add points, as validated by the REST or Socket.IO layer. */
export interface Submission {
  userId: number;
  points: number;
  actionId?: string;
}

export type Outcome =
  | { status: 'applied' | 'duplicate'; userId: number; name: string; score: number }
  | { status: 'unknown-user' | 'over-maximum'; userId: number }
  | { status: 'banned'; userId: number; reason: string };

/**
 * What the batch statement reports: every existing user touched (`banned`: the ban's reason), which keyed ledger rows
 * were inserted, and which submissions (by index) it left out because they would take a total past 2^53−1.
 */
export interface BatchRows {
  users: Map<number, { name: string; score: number; banned?: string }>;
  insertedKeys: Set<string>;
  overMaximum: Set<number>;
}

export const ledgerKey = (userId: number, actionId: string) => `${userId}\u0000${actionId}`;

/**
 * Gives each submission of a batch the result it would have had alone, in arrival order:
 * the first of equal (user, actionId) pairs wins, and each sees the running total after itself.
 */
export function resolveOutcomes(batch: Submission[], { users, insertedKeys, overMaximum }: BatchRows): Outcome[] {
  const seen = new Set<string>();
  const applied = batch.map((s, i) => {
    if (!users.has(s.userId) || overMaximum.has(i)) return false;
    if (s.actionId === undefined) return true;
    const key = ledgerKey(s.userId, s.actionId);
    if (seen.has(key)) return false;
    seen.add(key);
    return insertedKeys.has(key);
  });
  // Walk backwards from each user's final total to the total right after each submission
  const running = new Map<number, number>();
  const outcomes = new Array<Outcome>(batch.length);
  for (let i = batch.length - 1; i >= 0; i--) {
    const { userId, points } = batch[i];
    const user = users.get(userId);
    if (!user || overMaximum.has(i)) {
      outcomes[i] = { status: user ? 'over-maximum' : 'unknown-user', userId };
      continue;
    }
    if (user.banned !== undefined) {
      outcomes[i] = { status: 'banned', userId, reason: user.banned };
      continue;
    }
    const score = running.get(userId) ?? user.score;
    outcomes[i] = { status: applied[i] ? 'applied' : 'duplicate', userId, name: user.name, score };
    if (applied[i]) running.set(userId, score - points);
  }
  return outcomes;
}
