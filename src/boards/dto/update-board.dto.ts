import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsDisplayName } from './board-name';

/** `key`, `order` and `operator` cannot change (any other field is 400). */
export class UpdateBoardDto {
  /** @example "Weekly race (season 2)" */
  @IsOptional()
  @IsDisplayName()
  name?: string;

  /**
   * New schedule; the current period keeps its start and ends at the new schedule's next boundary.
   * @example "daily"
   */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  reset?: string;

  /** @example "America/New_York" */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;

  /** `incr` boards only. @example 250 */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  maxIncrement?: number;
}
