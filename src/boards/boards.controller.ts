import { Body, Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiParam, ApiTags } from '@nestjs/swagger';
import { Public, RequireScope } from '../auth/auth.decorators';
import { BOARDS_WRITE } from './board';
import { BoardReads } from './board-reads';
import { CreateBoardCommand } from './commands/create-board.command';
import { DeleteBoardCommand } from './commands/delete-board.command';
import { ResetBoardCommand } from './commands/reset-board.command';
import { UpdateBoardCommand } from './commands/update-board.command';
import { BoardDetailResponse, BoardListResponse, BoardResponse, BoardWithPeriodResponse, ResetResponse } from './dto/board.response';
import { CreateBoardDto } from './dto/create-board.dto';
import { UpdateBoardDto } from './dto/update-board.dto';
import { BoardKeyParam } from './dto/board-params';

/** Board definitions (contract §8). */
@ApiTags('boards')
@Controller('boards')
export class BoardsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly reads: BoardReads,
  ) {}

  /** Creates a board with its period 1 (scope `boards:write`). A duplicate key, `global` included, is 409. */
  @Post()
  @HttpCode(201)
  @ApiBearerAuth()
  @RequireScope(BOARDS_WRITE)
  create(@Body() body: CreateBoardDto): Promise<BoardWithPeriodResponse> {
    return this.commandBus.execute(new CreateBoardCommand(body));
  }

  /** Every board, `global` first. */
  @Public()
  @Get()
  async list(): Promise<BoardListResponse> {
    return { data: await this.reads.list() };
  }

  /** A board with its current period's number and when that period ends. */
  @Public()
  @Get(':key')
  @ApiParam({ name: 'key', example: 'weekly-race' })
  get(@BoardKeyParam() key: string): Promise<BoardDetailResponse> {
    return this.reads.board(key);
  }

  /** Changes name, reset, timezone or maxIncrement; `key`, `order` and `operator` cannot change, nor can `global`. */
  @Patch(':key')
  @ApiBearerAuth()
  @RequireScope(BOARDS_WRITE)
  @ApiParam({ name: 'key', example: 'weekly-race' })
  update(@BoardKeyParam() key: string, @Body() body: UpdateBoardDto): Promise<BoardResponse> {
    return this.commandBus.execute(new UpdateBoardCommand(key, body));
  }

  /** Deletes a board with its periods, scores and ledger rows; `global` cannot be deleted (400). */
  @Delete(':key')
  @HttpCode(204)
  @ApiBearerAuth()
  @RequireScope(BOARDS_WRITE)
  @ApiParam({ name: 'key', example: 'weekly-race' })
  async delete(@BoardKeyParam() key: string): Promise<void> {
    await this.commandBus.execute(new DeleteBoardCommand(key));
  }

  /** Closes the current period now (e.g. ends a tournament early); its standings are frozen and the next period starts empty. */
  @Post(':key/reset')
  @HttpCode(200)
  @ApiBearerAuth()
  @RequireScope(BOARDS_WRITE)
  @ApiParam({ name: 'key', example: 'weekly-race' })
  reset(@BoardKeyParam() key: string): Promise<ResetResponse> {
    return this.commandBus.execute(new ResetBoardCommand(key));
  }
}
