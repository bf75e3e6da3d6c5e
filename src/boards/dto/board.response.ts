export class BoardResponse {
  /** @example "weekly-race" */
  key: string;
  /** @example "Weekly race" */
  name: string;
  /** @example "desc" */
  order: string;
  /** @example "incr" */
  operator: string;
  /** @example "weekly" */
  reset: string;
  /** @example "Europe/Paris" */
  timezone: string;
  /** null on `best`/`latest` boards. @example 1000 */
  maxIncrement: number | null;
}

export class BoardWithPeriodResponse extends BoardResponse {
  /** The current period's number (1, 2, 3, …). @example 3 */
  period: number;
}

export class BoardDetailResponse extends BoardWithPeriodResponse {
  /** When the current period ends (null: the board never resets). @example "2026-12-06T23:00:00.000Z" */
  periodEndsAt: Date | null;
}

export class BoardListResponse {
  data: BoardResponse[];
}

export class ResetResponse {
  /** The number of the period this reset closed. @example 3 */
  closed: number;
  /** The number of the period that started. @example 4 */
  period: number;
}
