import { Injectable } from '@nestjs/common';
import { Metrics } from '../metrics/metrics.service';

@Injectable()
export class ChangeFeedMetrics {
  readonly rows;
  readonly badRows;
  readonly delay;

  constructor(metrics: Metrics) {
    this.rows = metrics.counter({
      name: 'change_feed_rows_total',
      help: 'Change feed rows read (every committed change to users, from any client)',
    });
    this.badRows = metrics.counter({ name: 'change_feed_bad_rows_total', help: 'Change feed rows that could not be parsed (skipped)' });
    this.delay = metrics.histogram({
      name: 'change_feed_delay_seconds',
      help: 'From a change being written to this instance reading it (oldest row of each page)',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    });
  }

  observe(rows: number, oldestDelaySeconds: number): void {
    this.rows.inc(rows);
    this.delay.observe(oldestDelaySeconds);
  }
}
