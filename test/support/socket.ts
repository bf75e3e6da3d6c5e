import { io, Socket } from 'socket.io-client';

export type { Socket };

/**
 * Connects a real socket.io-client (websocket transport unless `transports` says otherwise, e.g. the client's
 * default `['polling', 'websocket']`); resolves when connected, rejects with the connect_error.
 */
export function connectSocket(
  url: string,
  token?: string,
  options: { header?: boolean; timeoutMs?: number; transports?: ('polling' | 'websocket')[] } = {},
): Promise<Socket> {
  const socket = io(url, {
    path: '/socket.io',
    transports: options.transports ?? ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: options.timeoutMs ?? 5000,
    ...(token && options.header ? { extraHeaders: { authorization: `Bearer ${token}` } } : {}),
    ...(token && !options.header ? { auth: { token } } : {}),
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Emits with an acknowledgement callback; rejects if no ack arrives within `timeoutMs`. */
export function emitWithAck<T = any>(socket: Socket, event: string, payload: unknown, timeoutMs = 5000): Promise<T> {
  return socket.timeout(timeoutMs).emitWithAck(event, payload);
}

/** Records every `event` the socket receives, in order. */
export function record<T = any>(socket: Socket, event: string): T[] {
  const received: T[] = [];
  socket.on(event, (payload: T) => received.push(payload));
  return received;
}

/** Resolves with the first `event` matching `predicate`; rejects after `timeoutMs`. */
export function nextEvent<T = any>(
  socket: Socket,
  event: string,
  timeoutMs = 5000,
  predicate: (payload: T) => boolean = () => true,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: T) => {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}

/** A bounded wait for the absence of an event: resolves with whatever arrived meanwhile (expected: nothing). */
export function eventsWithin<T = any>(socket: Socket, event: string, ms: number): Promise<T[]> {
  const received: T[] = [];
  const listener = (payload: T) => received.push(payload);
  socket.on(event, listener);
  return new Promise((resolve) =>
    setTimeout(() => {
      socket.off(event, listener);
      resolve(received);
    }, ms),
  );
}
