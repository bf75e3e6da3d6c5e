import { Principal } from '../auth/principal';
import { GLOBAL_BOARD } from '../boards/board';
import { ErrorBody } from '../http/http-exception.filter';
import { Snapshot } from '../leaderboard/snapshot';
import { MeState } from '../me/me-state';

export const LEADERBOARD_ROOM = 'leaderboard';
/** A player's own view (contract §9): `{ room: "me", board? }`; each (board, player) has a room of its own. */
export const ME_ROOM = 'me';
export const ME_ROOM_PREFIX = 'me:';
export const meRoom = (board: string, userId: number): string => `${ME_ROOM_PREFIX}${board}:${userId}`;
export const parseMeRoom = (room: string): { board: string; userId: number } | undefined => {
  const match = /^me:([a-z0-9-]{1,32}):(\d+)$/.exec(room);
  return match ? { board: match[1], userId: Number(match[2]) } : undefined;
};

/** `leaderboard` (global, §4) or `leaderboard:{key}` (a board, §8; `leaderboard:global` is `leaderboard`). */
export const ROOM_PATTERN = /^leaderboard(:[a-z0-9-]{1,32})?$/;

/** The room a board's updates go to: global keeps the room of §4. */
export const boardRoom = (board: string): string => (board === GLOBAL_BOARD ? LEADERBOARD_ROOM : `${LEADERBOARD_ROOM}:${board}`);

/** The board of a room matching ROOM_PATTERN. */
export const roomBoard = (room: string): string => (room === LEADERBOARD_ROOM ? GLOBAL_BOARD : room.slice(LEADERBOARD_ROOM.length + 1));

/** Every event the server emits to Socket.IO clients (acks are typed by their handlers). */
export interface ServerToClientEvents {
  'leaderboard:update': (snapshot: Snapshot) => void;
  'me:update': (me: MeState) => void;
}

/** What the handshake middleware attaches to each socket. */
export interface SocketData {
  principal: Principal;
}

export type Ack<T> = { ok: true } & T;
export type Nack = { ok: false; error: ErrorBody };
