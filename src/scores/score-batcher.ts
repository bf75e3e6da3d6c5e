import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ChangeFeed } from '../changes/change-feed';
import { Move, ScoreLedger } from './score-ledger';
import { Outcome, Submission } from './submission';

/** A submission's outcome, and the xid its ranks must reflect (past the transaction that decided it). */
export interface Committed {
  outcome: Outcome;
  asOf: bigint;
  /** The user's place before and after the batch, when the statement saw the user. */
  move?: Move;
}

interface Pending {
  submission: Submission;
  resolve: (committed: Committed) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: submissions that arrive while a commit is in flight are applied together in the
 * next one, and each caller is answered only after the commit that holds its submission.
 */
@Injectable()
export class ScoreBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;

  constructor(
    private readonly ledger: ScoreLedger,
    private readonly feed: ChangeFeed,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  submit(submission: Submission): Promise<Committed> {
    return new Promise((resolve, reject) => {
      this.queue.push({ submission, resolve, reject });
      this.pump();
    });
  }

  /** Starts a commit for the queued submissions while fewer than SCORE_BATCH_CONCURRENCY are in flight. */
  private pump(): void {
    while (this.queue.length && this.inFlight < this.config.scoreBatchConcurrency) {
      const batch = this.queue.splice(0, this.config.scoreBatchMax);
      this.inFlight++;
      void this.flush(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async flush(batch: Pending[]): Promise<void> {
    try {
      const { outcomes, asOf, moves } = await this.ledger.apply(batch.map((p) => p.submission));
      this.feed.poke(); // the rank index follows the feed: read it now rather than on the NOTIFY
      batch.forEach((p, i) => p.resolve({ outcome: outcomes[i], asOf, move: moves.get(p.submission.userId) }));
    } catch (error) {
      // Every outcome is a value of the statement: a failure is a fault (database down), shared by the whole batch
      batch.forEach((p) => p.reject(error));
    }
  }
}
