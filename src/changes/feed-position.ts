/**
 * A position in the change feed: every outbox row at or before it has been consumed. Rows are ordered by
 * (xid, position); a consumer only ever reads rows whose xid is below the oldest transaction still running,
 * so no row can later appear before a position it has passed. Encoded fixed-width, so positions compare as
 * strings (in Lua too) and can be stored next to the data they describe.
 */
export interface FeedPosition {
  xid: bigint;
  row: bigint;
}

const WIDTH = 20;

export function encodePosition({ xid, row }: FeedPosition): string {
  return `${xid.toString().padStart(WIDTH, '0')}:${row.toString().padStart(WIDTH, '0')}`;
}

export function decodePosition(text: string): FeedPosition {
  const match = /^(\d{1,20}):(\d{1,20})$/.exec(text);
  if (!match) throw new Error(`not a feed position: ${text}`);
  return { xid: BigInt(match[1]), row: BigInt(match[2]) };
}

/** Negative, zero or positive as a is before, at or after b. */
export function comparePositions(a: FeedPosition, b: FeedPosition): number {
  if (a.xid !== b.xid) return a.xid < b.xid ? -1 : 1;
  return a.row === b.row ? 0 : a.row < b.row ? -1 : 1;
}

/** Everything written by transactions below `xid` (all finished), and nothing of later ones. */
export const before = (xid: bigint): FeedPosition => ({ xid, row: 0n });
