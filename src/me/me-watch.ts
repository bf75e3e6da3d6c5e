import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { setImmediate as yieldToIo, setTimeout as sleep } from 'node:timers/promises';
import { ThrottledWarning } from '../logging/throttled-warning';
import { Metrics } from '../metrics/metrics.service';
import { RealtimeGateway } from '../realtime/realtime.gateway';
import { ME_ROOM_PREFIX, meRoom, parseMeRoom } from '../realtime/socket.events';
import { MeReader } from './me-reader';
import { MeState, Standing, standingMoved } from './me-state';

const TICK_MS = 1000;
/** Contract §9: a watcher gets at most one me:update a second. */
const MIN_PUSH_GAP_MS = 1000;
/** The index applies a feed page a few ms after this instance hears of it: look again this soon, this often. */
const BEHIND_RETRY_MS = 20;
const BEHIND_RETRIES = 10;
/**
 * Pushes per turn of the event loop: thousands of watchers moving at once do not stall requests meanwhile (a push
 * costs ~0.1–0.2 ms: 500 a turn held the loop 70–140 ms in a profile of the §9 bench; 50 hold it ~10 ms).
 */
const PUSH_SLICE = 50;

interface Sent {
  score: number | null;
  rank: number | null;
  at: number;
}

/**
 * The `me` rooms of this instance. A feed page only marks its boards changed (O(boards), whatever the number of
 * watchers); once a second, for each changed board with watchers here, the rank index gives every watcher's rank
 * and score (in chunks that hold Redis a few ms each), and only those whose rank or score moved get their
 * neighbourhood read and a me:update (rooms are per board and user: `me:{board}:{id}`).
 */
@Injectable()
export class MeWatch implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly warning = new ThrottledWarning(new Logger(MeWatch.name));
  private readonly sent = new Map<string, Sent>();
  private changedBoards = new Set<string>();
  private feedPosition = '';
  private timers: NodeJS.Timeout[] = [];
  private running = false;
  private readonly updates;

  constructor(
    private readonly reader: MeReader,
    private readonly realtime: RealtimeGateway,
    metrics: Metrics,
  ) {
    this.updates = metrics.counter({ name: 'me_updates_total', help: 'me:update pushes to players watching their own standing' });
  }

  onApplicationBootstrap(): void {
    this.timers.push(setInterval(() => void this.tick(), TICK_MS).unref());
  }

  onModuleDestroy(): void {
    this.timers.forEach(clearInterval);
  }

  /** A board changed (on global: up to this feed position, which the rank index must have applied). */
  changed(board: string, position?: string): void {
    this.changedBoards.add(board);
    if (position && position > this.feedPosition) this.feedPosition = position;
  }

  /** A socket subscribed and was acked with `state`: later pushes are relative to it. */
  watching(board: string, state: MeState): void {
    this.sent.set(meRoom(board, state.id), { score: state.score, rank: state.rank, at: 0 });
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const boards = this.changedBoards;
      this.changedBoards = new Set();
      // What this tick must reflect: every page heard of so far (later ones mark their boards for the next tick)
      const minimum = this.feedPosition;
      const watched = this.watchedByBoard();
      for (const board of boards) {
        const userIds = watched.get(board);
        if (userIds) await this.refresh(board, userIds, minimum);
      }
    } catch (error) {
      this.warning.warn(`me updates failed: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }

  /** Watched users by board, from this instance's rooms; forgets what was sent to rooms that are gone. */
  private watchedByBoard(): Map<string, number[]> {
    const rooms = this.realtime.localRooms(ME_ROOM_PREFIX);
    const live = new Set(rooms);
    for (const room of this.sent.keys()) if (!live.has(room)) this.sent.delete(room);
    const byBoard = new Map<string, number[]>();
    for (const room of rooms) {
      const { board, userId } = parseMeRoom(room)!;
      const userIds = byBoard.get(board);
      if (userIds) userIds.push(userId);
      else byBoard.set(board, [userId]);
    }
    return byBoard;
  }

  private async refresh(board: string, userIds: number[], minimum: string): Promise<void> {
    const namespace = await this.reader.namespace(board);
    if (!namespace) return; // the board is gone
    let standings = await this.reader.standings(board, namespace, userIds, minimum);
    for (let retry = 0; standings === 'behind' && retry < BEHIND_RETRIES; retry++) {
      await sleep(BEHIND_RETRY_MS);
      standings = await this.reader.standings(board, namespace, userIds, minimum);
    }
    if (standings === 'unavailable')
      this.warning.warn(`me: the rank index cannot answer; ${userIds.length} watchers of ${board} wait for it`);
    if (standings === 'behind' || standings === 'unavailable') return this.changed(board); // next tick
    const now = Date.now();
    const due: Standing[] = [];
    let nextDue = Infinity;
    for (const standing of standings) {
      const sent = this.sent.get(meRoom(board, standing.id));
      if (sent && !standingMoved(sent, standing)) continue;
      if (!sent || now - sent.at >= MIN_PUSH_GAP_MS) due.push(standing);
      else nextDue = Math.min(nextDue, sent.at + MIN_PUSH_GAP_MS);
    }
    if (nextDue < Infinity) this.retryAt(board, nextDue);
    const views = due.length ? await this.reader.views(namespace, due, minimum) : [];
    if (!views) return this.changed(board);
    for (const [i, view] of views.entries()) {
      if (i > 0 && i % PUSH_SLICE === 0) await yieldToIo();
      this.sent.set(meRoom(board, view.id), { score: view.score, rank: view.rank, at: Date.now() });
      this.realtime.pushLocal(meRoom(board, view.id), 'me:update', view);
      this.updates.inc();
    }
  }

  /** Some moved less than a second after their last push: look again when they are due. */
  private retryAt(board: string, at: number): void {
    const timer = setTimeout(
      () => {
        this.timers = this.timers.filter((t) => t !== timer);
        this.changed(board);
        void this.tick();
      },
      Math.max(at - Date.now(), 0),
    ).unref();
    this.timers.push(timer);
  }
}
