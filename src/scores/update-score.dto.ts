import { IsInt, IsOptional, IsString, Matches, Min } from 'class-validator';

export const ACTION_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

export class UpdateScoreDto {
  /**
   * Points the completed action earned, added to the total: an integer from 1 to SCORE_MAX_INCREMENT.
   * @example 10
   */
  @IsInt()
  @Min(1) // the configured maximum (SCORE_MAX_INCREMENT) is checked by the command handler
  score: number;

  /**
   * Makes the submission idempotent: the same actionId for the same user counts once.
   * @example "match-2024-07-28:level-3"
   */
  @IsOptional()
  @IsString()
  @Matches(ACTION_ID_PATTERN, { message: 'actionId must be 1–64 characters of A-Z a-z 0-9 _ . : -' })
  actionId?: string;
}

export class ScoreResult {
  /** @example 7 */
  id: number;
  /** @example "Marcus" */
  name: string;
  /** The user's new total. @example 1210 */
  score: number;
  /** @example 1 */
  rank: number;
  /** false when this actionId had already been applied (the total is unchanged). @example true */
  applied: boolean;
}
