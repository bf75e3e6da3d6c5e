import { Injectable } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { ScoreChangedEvent } from './events/score-changed.event';

const PENDING = 'scoreChanges';

/** Remembers a score change made in the transaction of `queryRunner`, to be published after it commits. */
export function recordScoreChange(queryRunner: QueryRunner, event: ScoreChangedEvent): void {
  ((queryRunner.data[PENDING] ??= []) as ScoreChangedEvent[]).push(event);
}

/**
 * Publishes the recorded score changes on the EventBus once their transaction has committed,
 * so nothing downstream ever sees an uncommitted or rolled-back score.
 */
@Injectable()
export class ScoreChangesSubscriber implements EntitySubscriberInterface {
  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly eventBus: EventBus,
  ) {
    dataSource.subscribers.push(this);
  }

  afterTransactionCommit({ queryRunner }: TransactionCommitEvent): void {
    const events = take(queryRunner);
    if (events.length) this.eventBus.publishAll(events);
  }

  afterTransactionRollback({ queryRunner }: TransactionRollbackEvent): void {
    take(queryRunner);
  }
}

function take(queryRunner: QueryRunner): ScoreChangedEvent[] {
  const events = (queryRunner.data[PENDING] ?? []) as ScoreChangedEvent[];
  delete queryRunner.data[PENDING];
  return events;
}
