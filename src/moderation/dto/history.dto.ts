import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { BOARD_KEY_PATTERN } from '../../boards/board';
import { ToInteger } from '../../http/integer-input';

export class HistoryDto {
  /** Rows per page, 1–100. */
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  /** Only rows with a smaller ledger id (exclusive): the previous page's `next`. @example 1234 */
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  before?: number;

  /** Only this board's rows. @example "global" */
  @IsOptional()
  @IsString()
  @Matches(BOARD_KEY_PATTERN, { message: 'board must be a board key ([a-z0-9-]{1,32})' })
  board?: string;
}

export class HistoryEntry {
  /** The ledger id. @example 1234 */
  id: number;
  /** @example "global" */
  board: string;
  /** The change to the total (on best/latest boards: to the kept value). @example 10 */
  points: number;
  /** @example "match-42" */
  actionId: string | null;
  /** Set on adjustments (an operator's correction or an outside change). @example "outside change" */
  reason: string | null;
  at: Date;
}

export class HistoryPage {
  data: HistoryEntry[];
  /** The ledger id to pass as `before` for the next page; null on the last page. @example 1200 */
  next: number | null;
}
