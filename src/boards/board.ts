/** A board as stored (contract §8); `global` is the board of §3–§5, whose scores are users.score. */
export const GLOBAL_BOARD = 'global';
export const BOARD_ORDERS = ['desc', 'asc'] as const;
export const BOARD_OPERATORS = ['incr', 'best', 'latest'] as const;
export const BOARD_KEY_PATTERN = /^[a-z0-9-]{1,32}$/;
/** Largest value of a `best`/`latest` board: JSON numbers are exact up to here. */
export const MAX_BOARD_VALUE = Number.MAX_SAFE_INTEGER;

export type BoardOrder = (typeof BOARD_ORDERS)[number];
export type BoardOperator = (typeof BOARD_OPERATORS)[number];

export interface Board {
  key: string;
  name: string;
  order: BoardOrder;
  operator: BoardOperator;
  reset: string;
  timezone: string;
  /** null on `best`/`latest` boards. */
  maxIncrement: number | null;
}

export interface BoardWithPeriod extends Board {
  /** The number of the current (open) period. */
  period: number;
}

export interface BoardDetail extends BoardWithPeriod {
  /** When the current period ends (null: the board never resets). */
  periodEndsAt: Date | null;
}

/** Selects a board row as a Board (global's maxIncrement is SCORE_MAX_INCREMENT, filled in by `toBoard`). */
export const BOARD_COLUMNS = `b.key, b.name, b.sort_order AS "order", b.operator, b.reset, b.timezone, b.max_increment AS "maxIncrement"`;

export function toBoard(row: Board, scoreMaxIncrement: number): Board {
  const maxIncrement = row.key === GLOBAL_BOARD ? scoreMaxIncrement : row.maxIncrement;
  return { key: row.key, name: row.name, order: row.order, operator: row.operator, reset: row.reset, timezone: row.timezone, maxIncrement };
}

/** Token scope that may create, change, reset and delete boards. */
export const BOARDS_WRITE = 'boards:write';
