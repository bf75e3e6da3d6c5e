import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RankIndex } from '../ranking/rank-index';

/** Orders users as the contract ranks them: score, then who reached it first, then lower id. */
export const RANK_ORDER_DESC = 'score DESC, updated_at ASC, id ASC';
export const RANK_ORDER_ASC = 'score ASC, updated_at DESC, id DESC';

@Injectable()
export class UserRanks {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly index: RankIndex,
  ) {}

  /** 1-based rank of a user: O(log n) from the Redis rank index, counted in PostgreSQL when it cannot answer. */
  async rankOf(userId: number): Promise<number> {
    return (await this.index.rankOf(userId)) ?? this.countRank(userId);
  }

  /** Counts in SQL (O(n)); compared in SQL so timestamps keep their microseconds. */
  async countRank(userId: number): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT count(o.id)::int + 1 AS rank FROM users u JOIN users o
         ON o.score > u.score OR (o.score = u.score AND (o.updated_at < u.updated_at OR (o.updated_at = u.updated_at AND o.id < u.id)))
       WHERE u.id = $1`,
      [userId],
    );
    return row.rank;
  }
}
