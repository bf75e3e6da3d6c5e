/**
 * Cleanup for everything a test file started (apps, sockets, databases, servers), run once after the
 * file, newest first. The hook is installed when a spec first imports this module, i.e. while Jest
 * collects the file, which is the only time hooks may be added.
 */
const stack: Array<() => unknown> = [];

afterAll(async () => {
  const errors: unknown[] = [];
  for (let fn = stack.pop(); fn; fn = stack.pop()) {
    try {
      await fn();
    } catch (error) {
      errors.push(error); // keep tearing down: a failed close must not leak the rest
    }
  }
  if (errors.length) throw errors[0];
}, 60_000);

/** Runs `fn` after this test file (after everything registered later). */
export function onTeardown(fn: () => unknown): void {
  stack.push(fn);
}
