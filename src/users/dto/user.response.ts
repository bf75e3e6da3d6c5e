export class BoardEntry {
  /** @example 7 */
  id: number;
  /** 1 is the highest score; equal scores rank by who reached the score first, then lower id. @example 1 */
  rank: number;
  /** @example "Marcus" */
  name: string;
  /** @example 1200 */
  score: number;
}

export class UserResponse extends BoardEntry {
  createdAt: Date;
  updatedAt: Date;
}

/** A banned user (contract §9): on no board, so no rank. */
export class BannedUserResponse {
  id: number;
  name: string;
  score: number;
  createdAt: Date;
  updatedAt: Date;
  banned: true;
}

export class UserPage {
  data: BoardEntry[];
  /** @example 0 */
  page: number;
  /** @example 10 */
  limit: number;
  /** @example "score desc" */
  order: string;
  /** Number of users on the board (banned and erased users are not counted). @example 1234 */
  total: number;
}
