import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiParam, ApiTags } from '@nestjs/swagger';
import { Public, RequireScope } from '../auth/auth.decorators';
import { SCOPES } from '../auth/principal';
import { SharedCache } from '../http/http-cache';
import { CreateUserCommand } from './commands/create-user.command';
import { CreateUserDto } from './dto/create-user.dto';
import { AroundDto, ListUsersDto } from './dto/list-users.dto';
import { AroundResponse } from './dto/around.response';
import { UserPage, UserResponse } from './dto/user.response';
import { UserIdParam } from './dto/user-id.pipe';
import { GetAroundQuery } from './queries/get-around.query';
import { GetUserQuery } from './queries/get-user.query';
import { ListUsersQuery } from './queries/list-users.query';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  /** Creates a player with score 0 (needs a token with scope `users:write`). */
  @Post()
  @HttpCode(201)
  @ApiBearerAuth()
  @RequireScope(SCOPES.usersWrite)
  create(@Body() body: CreateUserDto): Promise<UserResponse> {
    return this.commandBus.execute(new CreateUserCommand(body.name));
  }

  /** Lists users by rank; `rank` is the descending rank whatever the order. */
  @Public()
  @Get()
  @SharedCache()
  list(@Query() query: ListUsersDto): Promise<UserPage> {
    return this.queryBus.execute(new ListUsersQuery(query.limit, query.page, query.order));
  }

  /** One user with their current rank. */
  @Public()
  @Get(':id')
  @SharedCache()
  @ApiParam({ name: 'id', type: 'integer', example: 1 })
  get(@UserIdParam() id: number): Promise<UserResponse> {
    return this.queryBus.execute(new GetUserQuery(id));
  }

  /** The user with up to `limit` players directly above and below, in rank order; fewer near either end. */
  @Public()
  @Get(':id/around')
  @SharedCache()
  @ApiParam({ name: 'id', type: 'integer', example: 1 })
  around(@UserIdParam() id: number, @Query() query: AroundDto): Promise<AroundResponse> {
    return this.queryBus.execute(new GetAroundQuery(id, query.limit));
  }
}
