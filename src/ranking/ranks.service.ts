import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RankIndex } from './rank-index';
import { GLOBAL, Namespace, Neighbourhood, Standing } from './rank-store';
import { COUNT_RANK_SQL } from './rank-order';
import { RankEntry } from './rank-member';

/** Users per script call of a batch: bounds how long one call holds Redis (~15 µs a user at 1M players). */
const BATCH = 250;

/** The one way to a user's rank: O(log n) from the rank index, counted in PostgreSQL only when it cannot answer. */
@Injectable()
export class Ranks {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly index: RankIndex,
  ) {}

  /**
   * 1-based rank reflecting at least every change committed by transactions below `asOf` (a xid: the writer's
   * own xid + 1, or the reader's snapshot xmax), so a caller always sees the state it just wrote or read.
   */
  async rankOf(userId: number, asOf: bigint): Promise<number> {
    const rank = await this.index.rankOf(userId, asOf);
    if (rank !== undefined) return rank + 1;
    const [row]: { rank: number }[] = await this.dataSource.query(COUNT_RANK_SQL, [userId]);
    return row?.rank ?? 1;
  }

  /**
   * The rank a writer answers right after its commit: the index moves the user from `move.before` to `move.after`
   * itself when it still holds `before` (the feed then applies the same state), instead of waiting for the feed.
   */
  async rankAfterWrite(userId: number, asOf: bigint, move?: { before: RankEntry; after: RankEntry }): Promise<number> {
    const rank = move && (await this.index.rankAfter(move.before, move.after));
    return rank === undefined ? this.rankOf(userId, asOf) : rank + 1;
  }

  /** Batch: each user's 0-based rank and score in `namespace` (see `inChunks`). */
  standings(userIds: number[], minimum: string, namespace: Namespace = GLOBAL): Promise<(Standing | undefined)[] | 'behind' | undefined> {
    return this.inChunks(userIds, (chunk) => this.index.standings(chunk, minimum, namespace));
  }

  /** Batch: each user's 0-based rank in `namespace` and the entries within `radius` ranks (see `inChunks`). */
  neighbourhoods(
    userIds: number[],
    minimum: string,
    radius: number,
    namespace: Namespace = GLOBAL,
  ): Promise<(Neighbourhood | undefined)[] | 'behind' | undefined> {
    return this.inChunks(userIds, (chunk) => this.index.neighbourhoods(chunk, minimum, radius, namespace));
  }

  /**
   * From the index once it has applied the feed position `minimum` ('behind' until it has; undefined when it cannot
   * answer: the caller counts in SQL), in chunks one after another: each script holds Redis only a few ms, and other
   * commands (submissions' ranks) run between them instead of queueing behind the whole batch.
   */
  private async inChunks<T>(
    userIds: number[],
    read: (chunk: number[]) => Promise<(T | undefined)[] | 'behind' | undefined>,
  ): Promise<(T | undefined)[] | 'behind' | undefined> {
    const all: (T | undefined)[] = [];
    for (let i = 0; i < userIds.length; i += BATCH) {
      const reply = await read(userIds.slice(i, i + BATCH));
      if (reply === undefined || reply === 'behind') return reply;
      all.push(...reply);
    }
    return all;
  }
}
