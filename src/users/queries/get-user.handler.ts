import { NotFoundException } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Ranks } from '../../ranking/ranks.service';
import { READ_AS_OF } from '../../ranking/rank-order';
import { BannedUserResponse, UserResponse } from '../dto/user.response';
import { toUserResponse, USER_COLUMNS, UserRow } from '../user-row';
import { GetUserQuery } from './get-user.query';

@QueryHandler(GetUserQuery)
export class GetUserHandler implements IQueryHandler<GetUserQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ranks: Ranks,
  ) {}

  /** An erased user no longer exists for the API; a banned one is shown as banned, with no rank (contract §9). */
  async execute({ userId }: GetUserQuery): Promise<UserResponse | BannedUserResponse> {
    const [user]: (UserRow & { banned: boolean })[] = await this.dataSource.query(
      `SELECT ${USER_COLUMNS}, banned_at IS NOT NULL AS banned, ${READ_AS_OF} FROM users WHERE id = $1 AND erased_at IS NULL`,
      [userId],
    );
    if (!user) throw new NotFoundException(`User ${userId} not found`);
    if (user.banned) {
      const { id, name, score, createdAt, updatedAt } = toUserResponse(user, 0);
      return { id, name, score, createdAt, updatedAt, banned: true };
    }
    return toUserResponse(user, await this.ranks.rankOf(userId, BigInt(user.as_of)));
  }
}
