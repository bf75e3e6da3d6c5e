import { BadRequestException, NotFoundException } from '@nestjs/common';
import { CommandHandler, EventBus, ICommandHandler } from '@nestjs/cqrs';
import { GLOBAL_BOARD } from '../../boards/board';
import { BoardChangedEvent } from '../../boards/board-events';
import { BoardRanks } from '../../boards/board-ranks';
import { ChangeFeed } from '../../changes/change-feed';
import { Ranks } from '../../ranking/ranks.service';
import { AdminAudit } from '../admin-audit';
import { AdjustmentResponse } from '../dto/moderation.dto';
import { ScoreAdjuster } from '../score-adjuster';
import { AdjustScoreCommand } from './adjust-score.command';

@CommandHandler(AdjustScoreCommand)
export class AdjustScoreHandler implements ICommandHandler<AdjustScoreCommand> {
  constructor(
    private readonly adjuster: ScoreAdjuster,
    private readonly ranks: Ranks,
    private readonly boardRanks: BoardRanks,
    private readonly feed: ChangeFeed,
    private readonly eventBus: EventBus,
    private readonly audit: AdminAudit,
  ) {}

  async execute({ principal, userId, points, reason, board }: AdjustScoreCommand): Promise<AdjustmentResponse> {
    const outcome = await this.adjuster.adjust(userId, points, reason, board);
    switch (outcome.status) {
      case 'unknown-board':
        throw new NotFoundException(`Board ${board} not found`);
      case 'not-incr':
        throw new BadRequestException([`board ${board} is not an incr board: adjustments apply to incr boards only`]);
      case 'unknown-user':
        throw new NotFoundException(`User ${userId} not found`);
      case 'out-of-range':
        throw new BadRequestException(['points would take the total below 0 (or past its maximum)']);
      case 'applied': {
        this.audit.record(principal, 'adjust', { userId, board, points }, reason);
        // Committed: the feed carries a global total to ranks and the top 10; other boards are told directly
        if (board === GLOBAL_BOARD) this.feed.poke();
        else this.eventBus.publish(new BoardChangedEvent(board));
        const response = { id: userId, name: outcome.name, score: outcome.score };
        if (outcome.banned) return response;
        const rank =
          board === GLOBAL_BOARD
            ? await this.ranks.rankOf(userId, outcome.asOf!)
            : await this.boardRanks.rankOf({ key: board, order: outcome.order }, outcome.period!, userId);
        return { ...response, rank };
      }
    }
  }
}
