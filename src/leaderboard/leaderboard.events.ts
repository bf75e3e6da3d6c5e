import { Snapshot } from './snapshot';

export const LEADERBOARD_ROOM = 'leaderboard';

/** Every event the server emits to Socket.IO clients (acks are typed by their handlers). */
export interface ServerToClientEvents {
  'leaderboard:update': (snapshot: Snapshot) => void;
}

export interface SocketData {
  principal: import('../auth/principal').Principal;
}

export type Ack<T> = { ok: true } & T;
export type Nack = { ok: false; error: { statusCode: number; message: string | string[]; error: string } };
