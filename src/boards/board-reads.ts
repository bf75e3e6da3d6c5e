import { Injectable, NotFoundException } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { GetLeaderboardQuery } from '../leaderboard/queries/get-leaderboard.query';
import { Snapshot } from '../leaderboard/snapshot';
import { Board, BoardDetail } from './board';
import { BoardPeriodsRepository } from './board-periods.repository';
import { BoardStandings } from './board-standings';
import { BoardsRepository } from './boards.repository';
import { BoardEntriesDto } from './dto/board-queries.dto';
import { BoardEntriesResponse, BoardEntryResponse, PeriodListResponse } from './dto/board-entries.response';
import { AroundResponse } from '../users/dto/around.response';

/** The read side of boards: every GET under /api/boards, each a 404 for an unknown board. */
@Injectable()
export class BoardReads {
  constructor(
    private readonly boards: BoardsRepository,
    private readonly periods: BoardPeriodsRepository,
    private readonly standings: BoardStandings,
    private readonly queryBus: QueryBus,
  ) {}

  list(): Promise<Board[]> {
    return this.boards.list();
  }

  async board(key: string): Promise<BoardDetail> {
    const board = await this.boards.find(key);
    if (!board) throw new NotFoundException(`Board ${key} not found`);
    return board;
  }

  /** Standings of a period: the current one when `period` is undefined. */
  async entries(key: string, query: BoardEntriesDto, period?: number): Promise<BoardEntriesResponse> {
    const board = await this.board(key);
    const wanted = period ?? board.period;
    if (period !== undefined && !(await this.periods.exists(key, period)))
      throw new NotFoundException(`Board ${key} has no period ${period}`);
    const { data, total, order } = await this.standings.page(board, wanted, query);
    return { data, page: query.page, limit: query.limit, order, total, period: wanted };
  }

  async entry(key: string, userId: number): Promise<BoardEntryResponse> {
    const board = await this.board(key);
    const entry = await this.standings.entry(board, board.period, userId);
    if (!entry) throw new NotFoundException(`User ${userId} has no score in period ${board.period} of board ${key}`);
    return { ...entry, period: board.period };
  }

  async around(key: string, userId: number, limit: number): Promise<AroundResponse> {
    const board = await this.board(key);
    const data = await this.standings.around(board, board.period, userId, limit);
    if (!data) throw new NotFoundException(`User ${userId} has no score in period ${board.period} of board ${key}`);
    return { data };
  }

  /** From the snapshot store (no SQL while it is current); 404 for an unknown board. */
  leaderboard(key: string): Promise<Snapshot> {
    return this.queryBus.execute(new GetLeaderboardQuery(key));
  }

  async periodList(key: string, limit: number, before?: number): Promise<PeriodListResponse> {
    await this.board(key);
    return { data: await this.periods.listClosed(key, limit, before) };
  }
}
