import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { BOARD_KEY_PATTERN, BOARD_OPERATORS, BOARD_ORDERS, type BoardOperator, type BoardOrder } from '../board';
import { IsDisplayName } from '../../users/dto/display-name';

export class CreateBoardDto {
  /**
   * Unique key, `[a-z0-9-]{1,32}`; used in every path of the board.
   * @example "weekly-race"
   */
  @IsString()
  @Matches(BOARD_KEY_PATTERN, { message: 'key must be 1–32 characters of a-z 0-9 -' })
  key: string;

  /**
   * Display name, 1–64 characters (the name rules of users).
   * @example "Weekly race"
   */
  @IsDisplayName()
  name: string;

  /**
   * `desc`: highest first (default); `asc`: lowest first (e.g. fastest time).
   * @example "desc"
   */
  @IsOptional()
  @IsIn(BOARD_ORDERS)
  order?: BoardOrder;

  /**
   * `incr`: the score is added (default); `best`: the better of the current and the submitted value is kept;
   * `latest`: the submitted value replaces the current one.
   * @example "incr"
   */
  @IsOptional()
  @IsIn(BOARD_OPERATORS)
  operator?: BoardOperator;

  /**
   * When a new period starts: `never` (default), `hourly`, `daily`, `weekly` (Monday 00:00), `monthly`, or a cron
   * expression of 5 or 6 fields (6 = seconds first), in `timezone`. Periods shorter than 5 s are refused.
   * @example "weekly"
   */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  reset?: string;

  /**
   * IANA time zone the reset is evaluated in (default `UTC`).
   * @example "Europe/Paris"
   */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;

  /**
   * `incr` boards only: the largest score one submission may add (default SCORE_MAX_INCREMENT).
   * @example 500
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  maxIncrement?: number;
}
