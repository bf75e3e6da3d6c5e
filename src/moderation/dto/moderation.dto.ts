import { applyDecorators } from '@nestjs/common';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min, NotEquals } from 'class-validator';
import { BOARD_KEY_PATTERN } from '../../boards/board';

const REASON_MESSAGE = 'reason must be 1–200 characters of text (no NUL, no lone surrogate)';
/** What PostgreSQL cannot store as text (NUL) or would store altered (a lone surrogate becomes U+FFFD). */
// eslint-disable-next-line no-control-regex -- NUL is exactly what it refuses
const STORABLE_TEXT = /^[^\u0000\p{Cs}]*$/u;

/** A moderation reason: 1–200 characters (code points), stored and shown as given. */
const IsReason = () =>
  applyDecorators(
    IsString({ message: REASON_MESSAGE }),
    Length(1, 200, { message: REASON_MESSAGE }),
    Matches(STORABLE_TEXT, { message: REASON_MESSAGE }),
  );

export class BanDto {
  /** Why (1–200 characters); shown in the 403 of the user's submissions and in the audit log. @example "score injection" */
  @IsReason()
  reason: string;
}

export class AdjustmentDto {
  /** Points added (negative: taken); the total may not go below 0. @example -500 */
  @IsInt()
  @NotEquals(0, { message: 'points must not be 0' })
  @Min(-Number.MAX_SAFE_INTEGER)
  @Max(Number.MAX_SAFE_INTEGER)
  points: number;

  /** Why (1–200 characters), recorded in the ledger. @example "refund of a duplicated match" */
  @IsReason()
  reason: string;

  /** An `incr` board (default `global`). @example "global" */
  @IsOptional()
  @IsString()
  @Matches(BOARD_KEY_PATTERN, { message: 'board must be a board key ([a-z0-9-]{1,32})' })
  board?: string;
}

export class BanResponse {
  /** @example 7 */
  id: number;
  /** @example true */
  banned: boolean;
  /** @example "score injection" */
  reason?: string;
}

export class AdjustmentResponse {
  /** @example 7 */
  id: number;
  /** @example "Marcus" */
  name: string;
  /** The total on that board after the correction. @example 700 */
  score: number;
  /** Absent for a banned user (on no board). @example 3 */
  rank?: number;
}
