import { toNumber } from '../database/bigint.transformer';
import { RankEntry } from './rank-member';

/** Selects what the rank index needs of a user; updated_at as exact epoch microseconds. */
export const RANK_COLUMNS = `id, score, (extract(epoch FROM updated_at) * 1000000)::bigint AS reached_at`;

export interface RankRow {
  id: string;
  score: string;
  reached_at: string;
}

export const toRankEntry = (row: RankRow): RankEntry => ({ userId: toNumber(row.id), score: toNumber(row.score), reachedAt: toNumber(row.reached_at) });
