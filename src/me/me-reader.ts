import { Injectable, NotFoundException } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { GLOBAL_BOARD } from '../boards/board';
import { BoardReads } from '../boards/board-reads';
import { boardNamespace, GLOBAL, Namespace } from '../ranking/rank-store';
import { Ranks } from '../ranking/ranks.service';
import { GetUserQuery } from '../users/queries/get-user.query';
import { ME_RADIUS, MeState, Standing } from './me-state';
import { Names } from './names';

/**
 * Watchers counted in SQL, one by one, when the rank index cannot answer (no Redis): above this many on one board
 * the tick waits for the index instead (counting ranks in SQL for thousands of watchers would swamp the database).
 */
export const SQL_FALLBACK_MAX = 100;

/**
 * Reads players' own views: one exactly (SQL, for the subscribe ack), many at once for the tick: first the
 * standings of every watcher (rank and score: the cheap half), then the whole view of those whose standing moved.
 */
@Injectable()
export class MeReader {
  constructor(
    private readonly names: Names,
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
      return nobody(userId);
    }
  }

  /** Where the board's standings are ranked now (its current period); undefined for a board gone meanwhile. */
  async namespace(board: string): Promise<Namespace | undefined> {
    if (board === GLOBAL_BOARD) return GLOBAL;
    const detail = await this.boards.board(board).catch((error: Error) => {
      if (error instanceof NotFoundException) return undefined;
      throw error;
    });
    return detail && boardNamespace(detail.key, detail.period, detail.order);
  }

  /**
   * Standings of many watchers from the rank index once it has applied `minimum` (a feed position; 'behind' until
   * then). When it cannot answer: whole views counted in SQL for a few watchers, 'unavailable' for more.
   */
  async standings(board: string, namespace: Namespace, userIds: number[], minimum: string): Promise<Standing[] | 'behind' | 'unavailable'> {
    const found = await this.ranks.standings(userIds, minimum, namespace);
    if (found === 'behind') return 'behind';
    if (found) return found.map((s, i) => (s ? { id: userIds[i], score: s.score, rank: s.rank + 1 } : nobody(userIds[i])));
    if (userIds.length > SQL_FALLBACK_MAX) return 'unavailable';
    const states: MeState[] = [];
    for (const userId of userIds) {
      try {
        states.push(await this.one(board, userId));
      } catch (error) {
        if (!(error instanceof NotFoundException)) throw error; // gone meanwhile (board deleted, user erased): skipped
      }
    }
    return states;
  }

  /**
   * Whole views of watchers whose standing moved: their neighbourhoods from the index (at `minimum` or later, so
   * rank and score are taken from there too) and the neighbours' names; undefined when the index
   * cannot answer (the caller tries again on its next tick).
   */
  async views(namespace: Namespace, moved: Standing[], minimum: string): Promise<MeState[] | undefined> {
    const counted = moved.filter(isView);
    const ids = moved.filter((s) => !isView(s) && s.rank !== null).map((s) => s.id);
    const hoods = ids.length ? await this.ranks.neighbourhoods(ids, minimum, ME_RADIUS, namespace) : [];
    if (hoods === undefined || hoods === 'behind') return undefined;
    const neighbours = [...new Set(hoods.flatMap((hood) => hood?.window.map((e) => e.userId) ?? []))];
    const names = await this.names.of(neighbours);
    const viewed = hoods.map((hood, i): MeState => {
      if (!hood) return nobody(ids[i]); // left the board meanwhile
      const around = hood.window.map((e) => ({ id: e.userId, rank: e.rank + 1, name: names.get(e.userId) ?? '', score: e.score }));
      return { id: ids[i], score: around.find((e) => e.id === ids[i])!.score, rank: hood.rank + 1, around };
    });
    const off = moved.filter((s) => !isView(s) && s.rank === null).map((s) => nobody(s.id));
    return [...counted, ...viewed, ...off];
  }
}

const nobody = (id: number): MeState => ({ id, score: null, rank: null, around: [] });
const isView = (standing: Standing): standing is MeState => 'around' in standing;
