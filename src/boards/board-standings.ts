import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Order } from '../users/dto/list-users.dto';
import { BoardEntry } from '../users/dto/user.response';
import { GetAroundQuery } from '../users/queries/get-around.query';
import { ListUsersQuery } from '../users/queries/list-users.query';
import { ON_BOARD, RANK_ORDER_DESC } from '../ranking/rank-order';
import { BoardOrder, GLOBAL_BOARD } from './board';
import { boardAroundSql } from './board-around.sql';
import { boardEntries } from './board-entries.sql';
import { boardRankOrder, BoardRanks } from './board-ranks';

export interface StandingsBoard {
  key: string;
  order: BoardOrder;
}

export interface PageRequest {
  limit: number;
  page: number;
  /** Listing direction; default: the board's rank order. */
  order?: Order;
  ids?: number[];
}

interface Row {
  id: string;
  name: string;
  score: string;
}

const toEntry = (row: Row, rank: number): BoardEntry => ({ id: Number(row.id), rank, name: row.name, score: Number(row.score) });

/** A board's standings in one period (live or frozen): pages, a friends' view, one entry, the neighbours of one. */
@Injectable()
export class BoardStandings {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queryBus: QueryBus,
    private readonly ranks: BoardRanks,
  ) {}

  async page(board: StandingsBoard, period: number, request: PageRequest): Promise<{ data: BoardEntry[]; total: number; order: Order }> {
    const order = request.order ?? `score ${board.order}`;
    const reverse = order !== `score ${board.order}`;
    if (request.ids) return { ...(await this.friends(board, period, request, reverse)), order };
    if (board.key === GLOBAL_BOARD) {
      const { data, total } = await this.queryBus.execute(new ListUsersQuery(request.limit, request.page, order));
      return { data, total, order };
    }
    const offset = request.page * request.limit;
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query<Row[]>(
        `SELECT s.user_id AS id, u.name, s.score FROM (SELECT user_id, score, reached_at FROM ${boardEntries()} e
           ORDER BY ${boardRankOrder(board.order, reverse)} LIMIT $3 OFFSET $4) s JOIN users u ON u.id = s.user_id ORDER BY ${boardRankOrder(board.order, reverse)}`,
        [board.key, period, request.limit, offset],
      ),
      this.dataSource.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM ${boardEntries()} e`, [board.key, period]),
    ]);
    // The reverse listing is exactly the reverse of the rank order, so ranks follow from the position
    const data = rows.map((row, i) => toEntry(row, reverse ? total - offset - i : offset + i + 1));
    return { data, total, order };
  }

  /** Just those users, with their board ranks; total = how many of them have a score. */
  private async friends(board: StandingsBoard, period: number, { ids = [], limit, page }: PageRequest, reverse: boolean) {
    const ranks = await this.ranks.ranksOf(board, period, ids);
    const sorted = [...ranks.entries()].sort(([, a], [, b]) => (reverse ? b - a : a - b)).slice(page * limit, (page + 1) * limit);
    const rows = await this.rowsOf(
      board,
      period,
      sorted.map(([id]) => id),
    );
    const data = sorted.filter(([id]) => rows.has(id)).map(([id, rank]) => toEntry(rows.get(id)!, rank));
    return { data, total: ranks.size };
  }

  /** One user's entry; undefined when they have no score in that period. */
  async entry(board: StandingsBoard, period: number, userId: number): Promise<BoardEntry | undefined> {
    const rank = await this.ranks.rankOf(board, period, userId);
    const row = rank === undefined ? undefined : (await this.rowsOf(board, period, [userId])).get(userId);
    return row && toEntry(row, rank!);
  }

  /** The user and up to `limit` entries directly above and below; undefined when they have no score. */
  async around(board: StandingsBoard, period: number, userId: number, limit: number): Promise<BoardEntry[] | undefined> {
    if (board.key === GLOBAL_BOARD) return (await this.queryBus.execute(new GetAroundQuery(userId, limit))).data;
    const rank = await this.ranks.rankOf(board, period, userId);
    if (rank === undefined) return undefined;
    const rows: (Row & { pos: number })[] = await this.dataSource.query(boardAroundSql(board.order), [board.key, period, userId, limit]);
    return rows.map((row) => toEntry(row, rank + Number(row.pos))).sort((a, b) => a.rank - b.rank);
  }

  private async rowsOf(board: StandingsBoard, period: number, ids: number[]): Promise<Map<number, Row>> {
    const rows: Row[] =
      board.key === GLOBAL_BOARD
        ? await this.dataSource.query(
            `SELECT id, name, score FROM users WHERE id = ANY($1::bigint[]) AND ${ON_BOARD} ORDER BY ${RANK_ORDER_DESC}`,
            [ids],
          )
        : await this.dataSource.query(
            `SELECT s.user_id AS id, u.name, s.score FROM board_scores s JOIN users u ON u.id = s.user_id WHERE s.board = $1 AND s.period = $2 AND s.user_id = ANY($3::bigint[])`,
            [board.key, period, ids],
          );
    return new Map(rows.map((row) => [Number(row.id), row]));
  }
}
