import { ChildProcess, spawn } from 'node:child_process';
import { createClient } from 'redis';
import { freePort } from './ports';
import { waitUntil } from './wait';

/** The shared Redis the tests use (a private redis-server per fault test is below). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface RedisServer {
  url: string;
  port: number;
  start(): Promise<void>;
  /** SIGKILL: as sudden as a crash, no goodbye to clients. */
  kill(): Promise<void>;
  /** SIGSTOP / SIGCONT: a hung Redis that keeps its connections open. */
  signal(signal: NodeJS.Signals): void;
  /** Runs one command on the server with a short-lived client. */
  command(args: string[]): Promise<unknown>;
}

/** A private redis-server (no persistence) on a spare port, for tests that kill and restart it. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const command = async (args: string[]) => {
    const client = createClient({ url });
    await client.connect();
    try {
      return await client.sendCommand(args);
    } finally {
      client.destroy();
    }
  };
  const server: RedisServer = {
    url,
    port,
    command,
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: 'ignore',
      });
      await waitUntil(
        `redis-server on ${port}`,
        () =>
          command(['PING']).then(
            () => true,
            () => false,
          ),
        5000,
      );
    },
    async kill() {
      // a signal-killed child keeps exitCode null: check signalCode too, or a second kill() would hang
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    signal(signal) {
      child?.kill(signal);
    },
  };
  await server.start();
  return server;
}
