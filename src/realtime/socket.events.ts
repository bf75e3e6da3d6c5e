import { Principal } from '../auth/principal';
import { ErrorBody } from '../http/http-exception.filter';
import { Snapshot } from '../leaderboard/snapshot';

export const LEADERBOARD_ROOM = 'leaderboard';

/** Every event the server emits to Socket.IO clients (acks are typed by their handlers). */
export interface ServerToClientEvents {
  'leaderboard:update': (snapshot: Snapshot) => void;
}

/** What the handshake middleware attaches to each socket. */
export interface SocketData {
  principal: Principal;
}

export type Ack<T> = { ok: true } & T;
export type Nack = { ok: false; error: ErrorBody };
