/**
 * The rank index is a sorted set ordered exactly like the contract: ZSET score = −score (so ZRANK,
 * ascending, puts the highest score first; integers up to 2^53−1 are exact doubles), and equal scores
 * fall back to Redis' lexicographic member order, so the member encodes the tie-break as fixed-width
 * digits: when the score was reached (epoch microseconds, as PostgreSQL stores it), then the id.
 */
export interface RankEntry {
  userId: number;
  score: number;
  /** users.updated_at in epoch microseconds: equal scores rank by who reached them first. */
  reachedAt: number;
}

const REACHED_AT_DIGITS = 17;
const ID_DIGITS = 19;

export function rankMember({ userId, reachedAt }: RankEntry): string {
  return String(Math.max(0, reachedAt)).padStart(REACHED_AT_DIGITS, '0') + String(userId).padStart(ID_DIGITS, '0');
}

/** The ZSET score: negated for `desc` sets, so that ascending ZRANK puts the highest score first. */
export function zsetScore(score: number, order: 'desc' | 'asc' = 'desc'): string {
  return score === 0 || order === 'asc' ? String(score) : String(-score);
}

/** The user id a member encodes (its last ID_DIGITS digits). */
export const memberUserId = (member: string): number => Number(member.slice(-ID_DIGITS));

/** The score of a ZSET score as Redis returns it (exact: integers up to 2^53−1 are exact doubles). */
export const scoreOfZset = (zscore: string, order: 'desc' | 'asc' = 'desc'): number =>
  zscore === '0' ? 0 : order === 'asc' ? Number(zscore) : -Number(zscore);
