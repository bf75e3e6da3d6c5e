// Preloaded (node --require) into a WORKERS=2 service by test/workers.e2e-spec.ts: every message a worker sends
// the primary leaves 50 ms late, in order, as when the OS deschedules a worker right after it answered a request.
const cluster = require('node:cluster');

if (cluster.isWorker) {
  const send = process.send.bind(process);
  process.send = (...args) => {
    setTimeout(() => send(...args), 50);
    return true;
  };
}
