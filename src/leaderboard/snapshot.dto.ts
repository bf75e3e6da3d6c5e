import { BoardEntry } from '../users/dto/user.response';

// Response classes in a .dto.ts file so the Swagger CLI plugin documents their properties

/** The top-10 snapshot of contract §5, with the board (§8) and the period it shows. */
export class Snapshot {
  /** md5 hex of JSON.stringify(data). @example "3f2a0c9e8b7d6a5f4e3d2c1b0a998877" */
  hash: string;
  /** Grows with every change, across instances and Redis restarts (derived from PostgreSQL's snapshot). @example 42 */
  version: number;
  /** When this snapshot was computed. @example "2026-11-27T04:00:00.000Z" */
  updatedAt: string;
  data: BoardEntry[];
  /** The board (`global` for GET /api/leaderboard and room `leaderboard`). @example "weekly-race" */
  board: string;
  /** The board's current period (global: always 1). @example 3 */
  period: number;
}
