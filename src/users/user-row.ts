import { toNumber } from '../database/bigint.transformer';
import { UserResponse } from './dto/user.response';

/** A user as the API shows it, read together with the xid its rank must reflect (see Ranks.rankOf). */
export const USER_COLUMNS = `id, name, score, created_at, updated_at`;

export interface UserRow {
  id: string;
  name: string;
  score: string;
  created_at: Date;
  updated_at: Date;
  as_of: string;
}

export function toUserResponse(row: UserRow, rank: number): UserResponse {
  return { id: toNumber(row.id), name: row.name, score: toNumber(row.score), rank, createdAt: row.created_at, updatedAt: row.updated_at };
}
