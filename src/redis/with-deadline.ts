/**
 * Rejects when `promise` has not settled within `ms`: node-redis bounds only the socket write, not the
 * reply, so callers on a request path use this to fall back instead of waiting on a hung Redis.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  // Rejects after the next poll phase: an answer that arrived while the event loop was busy past the deadline
  // (its timer and the reply due in the same turn) still wins, so a stall here is not taken for a hung Redis
  const deadline = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => setImmediate(() => reject(new Error(`no answer within ${ms} ms`))), ms)),
  );
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
