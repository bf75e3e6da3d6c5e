import { Injectable, NotFoundException } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GLOBAL_BOARD } from '../boards/board';
import { BoardReads } from '../boards/board-reads';
import { boardNamespace, GLOBAL, Namespace, Neighbourhood } from '../ranking/rank-store';
import { Ranks } from '../ranking/ranks.service';
import { GetUserQuery } from '../users/queries/get-user.query';
import { ME_RADIUS, MeState } from './me-state';

/** A watcher's state with names still to read: the standing and its neighbourhood (ids, scores, 0-based ranks). */
export interface Pending {
  id: number;
  score: number | null;
  rank: number | null;
  hood?: Neighbourhood;
}

/** Reads players' own views: one exactly (SQL, for the subscribe ack), many at once (the rank index, for the tick). */
@Injectable()
export class MeReader {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly boards: BoardReads,
    private readonly ranks: Ranks,
    private readonly queryBus: QueryBus,
  ) {}

  /** 404 for an unknown board or user (erased included); a user not on the board gets nulls. */
  async one(board: string, userId: number): Promise<MeState> {
    await this.boards.board(board);
    try {
      const { data } = await this.boards.around(board, userId, ME_RADIUS);
      const me = data.find((entry) => entry.id === userId)!;
      return { id: userId, score: me.score, rank: me.rank, around: data };
    } catch (error) {
      if (!(error instanceof NotFoundException)) throw error;
      await this.queryBus.execute(new GetUserQuery(userId)); // 404 when they do not exist (for the API)
      return { id: userId, score: null, rank: null, around: [] };
    }
  }

  /**
   * Standings of many watchers from the rank index in one batch (the board's current period), once it has applied
   * `minimum` (a feed position; 'behind' until then); counted in SQL one by one when the index cannot answer.
   */
  async standings(board: string, userIds: number[], minimum: string): Promise<Pending[] | 'behind'> {
    const namespace = board === GLOBAL_BOARD ? GLOBAL : await this.namespaceOf(board);
    if (!namespace) return []; // deleted meanwhile
    const hoods = await this.ranks.neighbourhoods(userIds, minimum, ME_RADIUS, namespace);
    if (hoods === 'behind') return 'behind';
    if (hoods)
      return hoods.map((hood, i) =>
        hood
          ? { id: userIds[i], score: hood.window.find((e) => e.userId === userIds[i])!.score, rank: hood.rank + 1, hood }
          : nobody(userIds[i]),
      );
    const states: Pending[] = [];
    for (const userId of userIds) {
      try {
        states.push(await this.one(board, userId));
      } catch (error) {
        if (!(error instanceof NotFoundException)) throw error; // gone meanwhile (board deleted, user erased): skipped
      }
    }
    return states;
  }

  private async namespaceOf(board: string): Promise<Namespace | undefined> {
    const detail = await this.boards.board(board).catch((error: Error) => {
      if (error instanceof NotFoundException) return undefined;
      throw error;
    });
    return detail && boardNamespace(detail.key, detail.period, detail.order);
  }

  /** Full states (with neighbours' names, in one query) of pending ones that came from the index. */
  async complete(pending: Pending[]): Promise<MeState[]> {
    const ids = [...new Set(pending.flatMap((p) => p.hood?.window.map((e) => e.userId) ?? []))];
    const rows: { id: string; name: string }[] = ids.length
      ? await this.dataSource.query(`SELECT id, name FROM users WHERE id = ANY($1::bigint[])`, [ids])
      : [];
    const names = new Map(rows.map((row) => [Number(row.id), row.name]));
    return pending.map(({ hood, ...state }) =>
      'around' in state
        ? (state as MeState)
        : {
            ...state,
            around: hood?.window.map((e) => ({ id: e.userId, rank: e.rank + 1, name: names.get(e.userId) ?? '', score: e.score })) ?? [],
          },
    );
  }
}

const nobody = (id: number): Pending => ({ id, score: null, rank: null });
