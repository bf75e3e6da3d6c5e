import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ACTION_ID_PATTERN } from '../../scores/update-score.dto';
import { MAX_BOARD_VALUE } from '../board';

export class SubmitBoardScoreDto {
  /** The player (a JSON integer). @example 7 */
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  userId: number;

  /**
   * `incr` boards: points to add, 1…maxIncrement; `best`/`latest` boards: the value, 0…2^53−1.
   * @example 120
   */
  @IsInt()
  @Min(0)
  @Max(MAX_BOARD_VALUE)
  score: number;

  /**
   * Makes the submission idempotent: the same actionId for the same user on the same board counts once.
   * @example "run-2026-12-01:42"
   */
  @IsOptional()
  @IsString()
  @Matches(ACTION_ID_PATTERN, { message: 'actionId must be 1–64 characters of A-Z a-z 0-9 _ . : -' })
  actionId?: string;
}

export class BoardScoreResult {
  /** @example "weekly-race" */
  board: string;
  /** The period the submission counted in. @example 3 */
  period: number;
  /** @example 7 */
  id: number;
  /** @example "Marcus" */
  name: string;
  /** The user's value on this board in that period. @example 1210 */
  score: number;
  /** The board rank in that period. @example 1 */
  rank: number;
  /** false when this actionId had already been applied on this board (nothing changed). @example true */
  applied: boolean;
}
