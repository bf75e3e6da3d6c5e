import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { UpdateScoreHandler } from './commands/update-score.handler';
import { ScoreBatcher } from './score-batcher';
import { ScoreChangesSubscriber } from './score-changes.subscriber';
import { ScoreLedger } from './score-ledger';
import { ScoresController } from './scores.controller';
import { ScoreMetrics } from './scores.metrics';

@Module({
  imports: [UsersModule],
  controllers: [ScoresController],
  providers: [UpdateScoreHandler, ScoreBatcher, ScoreLedger, ScoreChangesSubscriber, ScoreMetrics],
})
export class ScoresModule {}
