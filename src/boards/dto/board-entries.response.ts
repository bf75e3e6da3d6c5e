import { BoardEntry, UserPage } from '../../users/dto/user.response';

export class BoardEntriesResponse extends UserPage {
  /** Users with a score in this period (with `ids=`: those of the listed users). @example 148 */
  declare total: number;
  /** The period these standings belong to. @example 3 */
  period: number;
}

export class BoardEntryResponse extends BoardEntry {
  /** @example 3 */
  period: number;
}

export class PeriodSummary {
  /** @example 2 */
  period: number;
  /** @example "2026-11-23T23:00:00.000Z" */
  startsAt: Date;
  /** @example "2026-11-30T23:00:00.000Z" */
  endsAt: Date;
  /** Users with a score in that period. @example 148 */
  players: number;
}

export class PeriodListResponse {
  data: PeriodSummary[];
}
