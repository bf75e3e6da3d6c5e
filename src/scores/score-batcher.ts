import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { isDatabaseUnavailable } from '../database/database-errors';
import { ScoreLedger } from './score-ledger';
import { Outcome, Submission } from './submission';

interface Pending {
  submission: Submission;
  resolve: (outcome: Outcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: submissions that arrive while a commit is in flight are applied together in the
 * next one, and each caller is answered only after the commit that holds its submission.
 */
@Injectable()
export class ScoreBatcher {
  private readonly logger = new Logger(ScoreBatcher.name);
  private queue: Pending[] = [];
  private flushing = false;

  constructor(
    private readonly ledger: ScoreLedger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  submit(submission: Submission): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ submission, resolve, reject });
      if (!this.flushing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.flushing = true;
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.config.scoreBatchMax);
      // With a batch size of 1, submissions commit one by one, concurrently (pool-bound), as without batching
      if (this.config.scoreBatchMax === 1) void this.flush(batch);
      else await this.flush(batch);
    }
    this.flushing = false;
  }

  private async flush(batch: Pending[]): Promise<void> {
    try {
      const outcomes = await this.ledger.apply(batch.map((p) => p.submission));
      batch.forEach((p, i) => p.resolve(outcomes[i]));
    } catch (error) {
      if (batch.length === 1 || isDatabaseUnavailable(error)) {
        batch.forEach((p) => p.reject(error));
        return;
      }
      // One bad submission (e.g. a total past the maximum) must not fail the others: retry one by one
      this.logger.warn(`batch of ${batch.length} failed (${(error as Error).message}); retrying singly`);
      for (const pending of batch) await this.flush([pending]);
    }
  }
}
