/**
 * Child process: `count` Socket.IO viewers subscribed to the board. Each records when it first saw each
 * (player, score); on `report` it turns the parent's answered submissions into receipt latencies.
 */
import { io, Socket } from 'socket.io-client';

const [url, count, token] = process.argv.slice(2);
const now = () => performance.timeOrigin + performance.now();
type Board = { data: { id: number; score: number }[] };
/** Per viewer: player id → [score, first receipt time] in arrival order (scores only grow). */
const seen: Map<number, [number, number][]>[] = [];
const sockets: Socket[] = [];

function record(viewer: number, board: Board, at: number): void {
  for (const { id, score } of board.data) {
    const list = seen[viewer].get(id) ?? seen[viewer].set(id, []).get(id)!;
    if (!list.length || list[list.length - 1][0] < score) list.push([score, at]);
  }
}

function connect(viewer: number): Promise<void> {
  seen[viewer] = new Map();
  const socket = io(url, { transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
  sockets.push(socket);
  socket.on('leaderboard:update', (board: Board) => record(viewer, board, now()));
  return new Promise((resolve, reject) => {
    socket.on('connect_error', reject);
    socket.on('connect', () => socket.emit('subscribe', { room: 'leaderboard' }, () => resolve()));
  });
}

/** Latency of the first receipt at or past each answered (id, score); NaN when never received. */
function latencies(viewer: number, posts: [number, number, number][]): number[] {
  return posts.map(([id, score, answeredAt]) => {
    const hit = seen[viewer].get(id)?.find(([s]) => s >= score);
    return hit ? hit[1] - answeredAt : NaN;
  });
}

async function main(): Promise<void> {
  for (let i = 0; i < Number(count); i += 50) {
    await Promise.all(Array.from({ length: Math.min(50, Number(count) - i) }, (_, j) => connect(i + j)));
  }
  process.send!({ type: 'connected' });
  process.on('message', (message: { type: string; posts: [number, number, number][] }) => {
    if (message.type !== 'report') return;
    const perViewer = seen.map((_, viewer) => latencies(viewer, message.posts));
    const all = perViewer.flat();
    // Last receipt of each submission across this process's viewers (1e9 when one never got it; JSON has no Infinity)
    const last = message.posts.map((_, p) => Math.max(...perViewer.map((l) => (Number.isNaN(l[p]) ? 1e9 : l[p]))));
    const sample = all.filter((_, i) => i % Math.max(1, Math.floor(all.length / 100_000)) === 0);
    sockets.forEach((s) => s.close());
    // Disconnect only once the (large) message is out, or it may be dropped
    process.send!({ type: 'result', data: { latencies: sample, missing: all.filter(Number.isNaN).length, last } }, () =>
      process.disconnect(),
    );
  });
}

main().catch((error: Error) => {
  process.stderr.write(`viewers: ${error.message}\n`);
  process.exit(1);
});
