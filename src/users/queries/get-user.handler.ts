import { NotFoundException } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Ranks } from '../../ranking/ranks.service';
import { UserResponse } from '../dto/user.response';
import { READ_AS_OF } from '../../ranking/rank-order';
import { toUserResponse, USER_COLUMNS, UserRow } from '../user-row';
import { GetUserQuery } from './get-user.query';

@QueryHandler(GetUserQuery)
export class GetUserHandler implements IQueryHandler<GetUserQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ranks: Ranks,
  ) {}

  async execute({ userId }: GetUserQuery): Promise<UserResponse> {
    const [user]: UserRow[] = await this.dataSource.query(`SELECT ${USER_COLUMNS}, ${READ_AS_OF} FROM users WHERE id = $1`, [userId]);
    if (!user) throw new NotFoundException(`User ${userId} not found`);
    return toUserResponse(user, await this.ranks.rankOf(userId, BigInt(user.as_of)));
  }
}
