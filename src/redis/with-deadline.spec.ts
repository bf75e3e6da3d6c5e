import { ChildProcess, spawn } from 'node:child_process';
import { connect, Socket } from 'node:net';
import { withDeadline } from './with-deadline';

/** An echo server in another process (it answers while this one is blocked), printing its port. */
const ECHO_SERVER = `const s = require('node:net').createServer((c) => c.on('data', (d) => c.write(d)));
s.listen(0, '127.0.0.1', () => console.log(s.address().port));`;

describe('withDeadline', () => {
  let server: ChildProcess;
  let port: number;

  beforeAll(async () => {
    server = spawn(process.execPath, ['-e', ECHO_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
    port = Number(await new Promise<string>((resolve) => server.stdout!.once('data', (data) => resolve(String(data)))));
  });
  afterAll(() => server.kill());

  /** Sends a line and resolves with the echo: an answer that comes in as I/O, like a Redis reply. */
  const echo = (socket: Socket) =>
    new Promise<string>((resolve) => (socket.once('data', (data) => resolve(String(data))), socket.write('ping')));
  const busy = (ms: number) => {
    const until = performance.now() + ms;
    while (performance.now() < until); // the event loop is blocked, as by a long synchronous task
  };

  it('rejects a call that never answers', async () => {
    await expect(withDeadline(new Promise(() => undefined), 20)).rejects.toThrow('no answer within 20 ms');
  });

  it('keeps an answer that arrived while the event loop was blocked past the deadline', async () => {
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const answer = withDeadline(echo(socket), 20);
    busy(100); // the echo arrives meanwhile; the deadline's timer is due too when the loop turns
    await expect(answer).resolves.toBe('ping');
    socket.destroy();
  });
});
