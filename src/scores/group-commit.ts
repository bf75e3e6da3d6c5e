import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Metrics } from '../metrics/metrics.service';

/** Most items per commit, and commits in flight at once. */
export interface GroupCommitLimits {
  max: number;
  concurrency: number;
}

interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: items that arrive while a commit is in flight are committed together in the next one, and each
 * caller is answered only after the commit that holds its item. `commit` answers every item of a batch, in order.
 */
export class GroupCommit<T, R> {
  private queue: Pending<T, R>[] = [];
  private inFlight = 0;

  constructor(
    private readonly commit: (batch: T[]) => Promise<R[]>,
    private readonly limits: GroupCommitLimits,
    private readonly committed: (size: number) => void = () => undefined,
  ) {}

  /** Items waiting for a commit to start. */
  get waiting(): number {
    return this.queue.length;
  }

  submit(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  /** Starts a commit for the queued items while fewer than `concurrency` are in flight. */
  private pump(): void {
    while (this.queue.length && this.inFlight < this.limits.concurrency) {
      const batch = this.queue.splice(0, this.limits.max);
      this.inFlight++;
      void this.flush(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async flush(batch: Pending<T, R>[]): Promise<void> {
    try {
      const results = await this.commit(batch.map((p) => p.item));
      this.committed(batch.length);
      batch.forEach((p, i) => p.resolve(results[i]));
    } catch (error) {
      // Every outcome is a value of the statement: a failure is a fault (database down), shared by the whole batch
      batch.forEach((p) => p.reject(error));
    }
  }
}

/** The service's group-commit queues: one owner for their limits (SCORE_BATCH_MAX, SCORE_BATCH_CONCURRENCY) and metrics. */
@Injectable()
export class GroupCommits {
  private readonly sizes;
  private readonly queues = new Map<string, GroupCommit<unknown, unknown>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    metrics: Metrics,
  ) {
    this.sizes = metrics.histogram({
      name: 'score_commit_batch_size',
      help: 'Submissions per group commit (_count: commits, _sum: submissions), by queue',
      labelNames: ['queue'] as const,
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
    });
    const queues = this.queues;
    metrics.gauge({
      name: 'score_commit_waiting',
      help: 'Submissions waiting for a group commit to start, by queue',
      labelNames: ['queue'] as const,
      collect() {
        for (const [queue, group] of queues) this.set({ queue }, group.waiting);
      },
    });
  }

  /** A queue named `queue` in the metrics, whose commits run `commit`. */
  create<T, R>(queue: string, commit: (batch: T[]) => Promise<R[]>): GroupCommit<T, R> {
    const limits = { max: this.config.scoreBatchMax, concurrency: this.config.scoreBatchConcurrency };
    const group = new GroupCommit(commit, limits, (size) => this.sizes.observe({ queue }, size));
    this.queues.set(queue, group as GroupCommit<unknown, unknown>);
    return group;
  }
}
