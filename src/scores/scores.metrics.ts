import { Injectable } from '@nestjs/common';
import { Metrics } from '../metrics/metrics.service';

/** Submissions by outcome: applied, duplicate, rejected (4xx) or failed (5xx). */
@Injectable()
export class ScoreMetrics {
  readonly submissions;

  constructor(metrics: Metrics) {
    this.submissions = metrics.counter({
      name: 'score_submissions_total',
      help: 'Score submissions by outcome',
      labelNames: ['outcome'] as const,
    });
  }
}
