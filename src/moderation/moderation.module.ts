import { Module } from '@nestjs/common';
import { BoardsModule } from '../boards/boards.module';
import { ChangesModule } from '../changes/changes.module';
import { RankingModule } from '../ranking/ranking.module';
import { AdminAudit } from './admin-audit';
import { AdjustScoreHandler } from './commands/adjust-score.handler';
import { MarkUserHandler } from './commands/mark-user.handler';
import { ModerationController } from './moderation.controller';
import { GetHistoryHandler } from './queries/get-history.handler';
import { ScoreAdjuster } from './score-adjuster';
import { UserMarks } from './user-marks';

/** Moderation (contract §9): ban, unban, adjust, erase (all audited) and the ledger history. */
@Module({
  imports: [ChangesModule, RankingModule, BoardsModule],
  controllers: [ModerationController],
  providers: [MarkUserHandler, AdjustScoreHandler, GetHistoryHandler, UserMarks, ScoreAdjuster, AdminAudit],
})
export class ModerationModule {}
