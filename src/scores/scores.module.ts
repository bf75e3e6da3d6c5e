import { Module } from '@nestjs/common';
import { ChangesModule } from '../changes/changes.module';
import { RankingModule } from '../ranking/ranking.module';
import { UpdateScoreHandler } from './commands/update-score.handler';
import { GroupCommits } from './group-commit';
import { ScoreBatcher } from './score-batcher';
import { ScoreLedger } from './score-ledger';
import { ScoresController } from './scores.controller';
import { ScoreMetrics } from './scores.metrics';

@Module({
  imports: [ChangesModule, RankingModule],
  controllers: [ScoresController],
  providers: [UpdateScoreHandler, ScoreBatcher, ScoreLedger, ScoreMetrics, GroupCommits],
  // Submissions to the other boards are group-committed the same way (a queue of their own, the same limits)
  exports: [GroupCommits],
})
export class ScoresModule {}
