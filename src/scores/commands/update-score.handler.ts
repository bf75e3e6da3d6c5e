import { BadRequestException, ForbiddenException, HttpException, Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { canAddScore } from '../../auth/principal';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { ScoreRateLimiter } from '../../rate-limit/score-rate-limiter';
import { Ranks } from '../../ranking/ranks.service';
import { refusal } from '../refused-outcome';
import { ScoreBatcher } from '../score-batcher';
import { ScoreMetrics } from '../scores.metrics';
import { ScoreResult } from '../update-score.dto';
import { UpdateScoreCommand } from './update-score.command';

@CommandHandler(UpdateScoreCommand)
export class UpdateScoreHandler implements ICommandHandler<UpdateScoreCommand> {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly batcher: ScoreBatcher,
    private readonly ranks: Ranks,
    private readonly metrics: ScoreMetrics,
    private readonly rateLimiter: ScoreRateLimiter,
  ) {}

  async execute(command: UpdateScoreCommand): Promise<ScoreResult> {
    try {
      const result = await this.apply(command);
      this.metrics.submissions.inc({ outcome: result.applied ? 'applied' : 'duplicate' });
      return result;
    } catch (error) {
      this.metrics.submissions.inc({ outcome: error instanceof HttpException ? 'rejected' : 'failed' });
      throw error;
    }
  }

  private async apply({ principal, userId, points, actionId }: UpdateScoreCommand): Promise<ScoreResult> {
    if (points > this.config.scoreMaxIncrement) {
      throw new BadRequestException([`score must not be greater than ${this.config.scoreMaxIncrement}`]);
    }
    if (!canAddScore(principal, userId)) throw new ForbiddenException(`Token may not add to the score of user ${userId}`);
    await this.rateLimiter.check(principal);

    const { outcome, asOf, move } = await this.batcher.submit({ userId, points, actionId });
    switch (outcome.status) {
      case 'applied':
      case 'duplicate': {
        const rank = await this.ranks.rankAfterWrite(userId, asOf, move);
        return { id: userId, name: outcome.name, score: outcome.score, rank, applied: outcome.status === 'applied' };
      }
      default:
        throw refusal(userId, outcome);
    }
  }
}
