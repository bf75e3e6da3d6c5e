import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createClient } from 'redis';
import { freePort } from './ports';
import { waitUntil } from './wait';

export interface ClusterNode {
  port: number;
  url: string;
  /** SIGKILL: a crash, no goodbye. */
  kill(): Promise<void>;
  /** Starts it again on the same port with the same node identity (its nodes.conf); its data is gone. */
  start(): Promise<void>;
  command(args: string[]): Promise<unknown>;
}

export interface RedisCluster {
  /** The seed nodes, as REDIS_URL with REDIS_CLUSTER=true. */
  url: string;
  nodes: ClusterNode[];
  /** The node serving `key`'s slot now (asks the cluster). */
  masterOf(key: string): Promise<ClusterNode>;
  /** Resolves once every running node reports cluster_state:ok, agrees on the masters (all answering), and every replica is in sync. */
  healthy(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** A cluster fails a dead master over (or declares it failed) after this: short, so fault tests stay quick. */
const NODE_TIMEOUT_MS = 1000;

async function command(url: string, args: string[]): Promise<unknown> {
  const client = createClient({ url, socket: { reconnectStrategy: false } });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await client.sendCommand(args);
  } finally {
    client.destroy();
  }
}

async function startNode(dir: string): Promise<ClusterNode> {
  const [port, busPort] = [await freePort(), await freePort()];
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  // the bus port is set explicitly: the default (port + 10000) may be taken or past 65535
  const args = ['--port', String(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1', '--dir', dir, '--cluster-enabled', 'yes'];
  args.push(
    '--cluster-config-file',
    `nodes-${port}.conf`,
    '--cluster-node-timeout',
    String(NODE_TIMEOUT_MS),
    '--save',
    '',
    '--appendonly',
    'no',
  );
  // a replica that never synced cannot be promoted: start the first sync at once (the default waits 5 s)
  args.push('--repl-diskless-sync-delay', '0');
  const node: ClusterNode = {
    port,
    url,
    command: (cmd) => command(url, cmd),
    async start() {
      child = spawn('redis-server', args, { stdio: 'ignore' });
      const answers = () =>
        node.command(['PING']).then(
          () => true,
          () => false,
        );
      await waitUntil(`redis-server on ${port}`, answers, 5000);
    },
    async kill() {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
  await node.start();
  return node;
}

/**
 * A Redis Cluster of private redis-servers on spare loopback ports: 3 masters (16384 slots split by
 * `redis-cli --cluster create`), each with `replicas` replicas. No persistence: a restarted node comes back empty.
 */
export async function startRedisCluster(replicas = 0): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'redis-cluster-'));
  const nodes = await Promise.all(Array.from({ length: 3 * (1 + replicas) }, () => startNode(dir)));
  const cluster: RedisCluster = {
    url: nodes.map((node) => node.url).join(','),
    nodes,
    async masterOf(key) {
      const slot = Number(await firstAnswer(nodes, ['CLUSTER', 'KEYSLOT', key]));
      const shards = (await firstAnswer(nodes, ['CLUSTER', 'SLOTS'])) as [number, number, [string, number]][];
      const port = shards.find(([from, to]) => slot >= from && slot <= to)![2][1];
      return nodes.find((node) => node.port === port)!;
    },
    async healthy(timeoutMs = 15_000) {
      await waitUntil('the Redis Cluster to be healthy', () => isHealthy(nodes), timeoutMs, 100);
    },
    async stop() {
      await Promise.all(nodes.map((node) => node.kill()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
    await promisify(execFile)('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', String(replicas), '--cluster-yes']);
    await cluster.healthy();
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

async function firstAnswer(nodes: ClusterNode[], args: string[]): Promise<unknown> {
  for (const node of nodes) {
    const answer = await node.command(args).catch(() => undefined);
    if (answer !== undefined) return answer;
  }
  throw new Error('no cluster node answers');
}

/** Every node that answers says the cluster is ok, and they all see the same masters, all answering, for all slots. */
async function isHealthy(nodes: ClusterNode[]): Promise<boolean> {
  const views: string[] = [];
  const answering = new Set<number>();
  let masters: number[] = [];
  for (const node of nodes) {
    const info = (await node.command(['CLUSTER', 'INFO']).catch(() => undefined)) as string | undefined;
    if (info === undefined) continue;
    if (!info.includes('cluster_state:ok')) return false;
    const replication = (await node.command(['INFO', 'replication'])) as string;
    if (replication.includes('role:slave') && !replication.includes('master_link_status:up')) return false;
    answering.add(node.port);
    const slots = (await node.command(['CLUSTER', 'SLOTS'])) as [number, number, [string, number]][];
    masters = slots.map(([, , [, port]]) => port);
    views.push(JSON.stringify(slots.map(([from, to, [, port]]) => [from, to, port]).sort((x, y) => x[0] - y[0])));
  }
  return views.length > 0 && views.every((view) => view === views[0]) && masters.every((port) => answering.has(port));
}
