import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { toNumber } from '../../database/bigint.transformer';
import { GetLeaderboardQuery } from '../../leaderboard/queries/get-leaderboard.query';
import { BOARD_SIZE } from '../../leaderboard/snapshot';
import { UserPage } from '../dto/user.response';
import { ON_BOARD, RANK_ORDER_ASC, RANK_ORDER_DESC } from '../../ranking/rank-order';
import { ListUsersQuery } from './list-users.query';

/** Banned and erased users are not on the board, so not counted. */
const TOTAL_SQL = `SELECT count(*)::int AS total FROM users WHERE ${ON_BOARD}`;

@QueryHandler(ListUsersQuery)
export class ListUsersHandler implements IQueryHandler<ListUsersQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queryBus: QueryBus,
  ) {}

  async execute({ limit, page, order }: ListUsersQuery): Promise<UserPage> {
    const ascending = order === 'score asc';
    // The busiest page (the top, descending) comes from the cached top-10 snapshot
    if (!ascending && page === 0 && limit <= BOARD_SIZE) {
      const [snapshot, [{ total }]] = await Promise.all([
        this.queryBus.execute(new GetLeaderboardQuery()),
        this.dataSource.query<{ total: number }[]>(TOTAL_SQL),
      ]);
      return { data: snapshot.data.slice(0, limit), page, limit, order, total };
    }
    const offset = page * limit;
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query<{ id: string; name: string; score: string }[]>(
        `SELECT id, name, score FROM users WHERE ${ON_BOARD} ORDER BY ${ascending ? RANK_ORDER_ASC : RANK_ORDER_DESC} LIMIT $1 OFFSET $2`,
        [limit, offset],
      ),
      this.dataSource.query<{ total: number }[]>(TOTAL_SQL),
    ]);
    // `asc` is exactly the reverse of `desc`, so ranks follow from the position alone
    const data = rows.map((row, i) => ({
      id: toNumber(row.id),
      rank: ascending ? total - offset - i : offset + i + 1,
      name: row.name,
      score: toNumber(row.score),
    }));
    return { data, page, limit, order, total };
  }
}
