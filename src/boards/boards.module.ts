import { Module } from '@nestjs/common';
import { RankingModule } from '../ranking/ranking.module';
import { ScoresModule } from '../scores/scores.module';
import { BoardPeriodsRepository } from './board-periods.repository';
import { BoardRanks } from './board-ranks';
import { BoardReads } from './board-reads';
import { BoardScoreWriter } from './board-score-writer';
import { BoardStandings } from './board-standings';
import { BoardStandingsController } from './board-standings.controller';
import { BoardsController } from './boards.controller';
import { BoardsRepository } from './boards.repository';
import { CreateBoardHandler } from './commands/create-board.handler';
import { DeleteBoardHandler } from './commands/delete-board.handler';
import { ResetBoardHandler } from './commands/reset-board.handler';
import { SubmitBoardScoreHandler } from './commands/submit-board-score.handler';
import { UpdateBoardHandler } from './commands/update-board.handler';
import { ExpireClosedPeriodHandler } from './expire-closed-period.handler';
import { PeriodCloser } from './period-closer';
import { PeriodScheduler } from './period-scheduler';

const commandHandlers = [CreateBoardHandler, UpdateBoardHandler, DeleteBoardHandler, ResetBoardHandler, SubmitBoardScoreHandler];

/** Boards and seasons (contract §8); `global` is the board of §3–§5, read through users and the leaderboard. */
@Module({
  imports: [RankingModule, ScoresModule],
  controllers: [BoardsController, BoardStandingsController],
  providers: [
    ...commandHandlers,
    BoardsRepository,
    BoardPeriodsRepository,
    BoardRanks,
    ExpireClosedPeriodHandler,
    BoardStandings,
    BoardScoreWriter,
    BoardReads,
    PeriodCloser,
    PeriodScheduler,
  ],
  exports: [BoardRanks, BoardReads],
})
export class BoardsModule {}
