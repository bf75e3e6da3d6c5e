import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { toNumber } from '../../database/bigint.transformer';
import { Ranks } from '../../ranking/ranks.service';
import { UserResponse } from '../dto/user.response';
import { WRITE_AS_OF } from '../../ranking/rank-order';
import { toUserResponse, USER_COLUMNS, UserRow } from '../user-row';
import { CreateUserCommand } from './create-user.command';

@CommandHandler(CreateUserCommand)
export class CreateUserHandler implements ICommandHandler<CreateUserCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ranks: Ranks,
  ) {}

  async execute({ name }: CreateUserCommand): Promise<UserResponse> {
    const [user]: UserRow[] = await this.dataSource.query(
      `INSERT INTO users (name) VALUES ($1) RETURNING ${USER_COLUMNS}, ${WRITE_AS_OF}`,
      [name],
    );
    return toUserResponse(user, await this.ranks.rankOf(toNumber(user.id), BigInt(user.as_of)));
  }
}
