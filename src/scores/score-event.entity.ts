import { Column, Entity, Generated, Index, PrimaryColumn } from 'typeorm';
import { bigintToNumber } from '../database/bigint.transformer';

/** The ledger: one row per applied submission, so that every user's score is the sum of their points. */
@Entity({ name: 'score_events' })
@Index('score_events_user_board_action_key', ['userId', 'board', 'actionId'], { unique: true })
export class ScoreEvent {
  @PrimaryColumn({ type: 'bigint', transformer: bigintToNumber })
  @Generated('increment')
  id: number;

  @Column({ name: 'user_id', type: 'bigint', transformer: bigintToNumber })
  userId: number;

  @Column({ type: 'integer' })
  points: number;

  /** The board the submission counted on (contract §8); `global` is users.score. */
  @Column({ type: 'varchar', length: 32, default: 'global' })
  board: string;

  @Column({ name: 'action_id', type: 'varchar', length: 64, nullable: true })
  actionId: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
