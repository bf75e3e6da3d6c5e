import { Injectable } from '@nestjs/common';
import { ChangeFeed } from '../changes/change-feed';
import { GroupCommit, GroupCommits } from './group-commit';
import { Move, ScoreLedger } from './score-ledger';
import { Outcome, Submission } from './submission';

/** A submission's outcome, and the xid its ranks must reflect (past the transaction that decided it). */
export interface Committed {
  outcome: Outcome;
  asOf: bigint;
  /** The user's place before and after the batch, when the statement saw the user. */
  move?: Move;
}

/** Group commit of submissions to `global`: a batch is one statement of the ledger (see GroupCommit). */
@Injectable()
export class ScoreBatcher {
  private readonly queue: GroupCommit<Submission, Committed>;

  constructor(
    private readonly ledger: ScoreLedger,
    private readonly feed: ChangeFeed,
    groupCommits: GroupCommits,
  ) {
    this.queue = groupCommits.create('global', (batch) => this.commit(batch));
  }

  submit(submission: Submission): Promise<Committed> {
    return this.queue.submit(submission);
  }

  private async commit(batch: Submission[]): Promise<Committed[]> {
    const { outcomes, asOf, moves } = await this.ledger.apply(batch);
    this.feed.poke(); // the rank index follows the feed: read it now rather than on the NOTIFY
    return batch.map((submission, i) => ({ outcome: outcomes[i], asOf, move: moves.get(submission.userId) }));
  }
}
