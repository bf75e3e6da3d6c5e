import { ForbiddenException, Logger } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { JwtVerifier } from '../auth/jwt-verifier.service';
import { playerId } from '../auth/principal';
import { GLOBAL_BOARD } from '../boards/board';
import { toErrorBody } from '../http/http-exception.filter';
import { IpRateLimiter } from '../rate-limit/ip-rate-limiter';
import { UpdateScoreCommand } from '../scores/commands/update-score.command';
import { ScoreResult } from '../scores/update-score.dto';
import { GetLeaderboardQuery } from '../leaderboard/queries/get-leaderboard.query';
import { Snapshot } from '../leaderboard/snapshot';
import { MeState } from '../me/me-state';
import { WatchMeQuery } from '../me/watch-me.query';
import { Metrics } from '../metrics/metrics.service';
import { disconnectOnExpiry, socketAuth } from './socket-auth';
import { Ack, boardRoom, meRoom, Nack, roomBoard, ServerToClientEvents, SocketData } from './socket.events';
import { isMeRoom, MeRoomMessage, RoomMessage, ScoreUpdateMessage, validateMessage } from './socket.messages';

type NoEvents = Record<string, never>;
type ClientSocket = Socket<NoEvents, NoEvents, NoEvents, SocketData>;
export type RealtimeServer = Server<NoEvents, ServerToClientEvents, NoEvents, SocketData>;

/**
 * Live updates over Socket.IO (default namespace, path /socket.io): the only owner of the server. Handlers stay
 * thin: validate, bus, ack; other modules push through `pushLocal`.
 */
@WebSocketGateway()
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(RealtimeGateway.name);
  private readonly sockets;
  @WebSocketServer() readonly server: RealtimeServer;

  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
    private readonly verifier: JwtVerifier,
    private readonly ipLimiter: IpRateLimiter,
    metrics: Metrics,
  ) {
    this.sockets = metrics.gauge({ name: 'leaderboard_connected_sockets', help: 'Socket.IO clients connected to this instance' });
  }

  afterInit(server: RealtimeServer): void {
    server.use(socketAuth(this.verifier, this.ipLimiter));
  }

  /**
   * Emits to this instance's sockets in `room`. Local on purpose: every instance hears each publication itself
   * (Redis), so nothing needs to travel through the adapter's bus.
   */
  pushLocal<E extends keyof ServerToClientEvents>(room: string, event: E, ...args: Parameters<ServerToClientEvents[E]>): void {
    this.server?.local.to(room).emit(event, ...args);
  }

  /** Rooms with sockets on this instance whose name starts with `prefix` (the adapter drops a room once empty). */
  localRooms(prefix: string): string[] {
    return [...(this.server?.sockets.adapter.rooms.keys() ?? [])].filter((room) => room.startsWith(prefix));
  }

  handleConnection(socket: ClientSocket): void {
    this.sockets.inc();
    disconnectOnExpiry(socket, socket.data.principal);
  }

  handleDisconnect(): void {
    this.sockets.dec();
  }

  /**
   * Joins the board's room, then acks its current snapshot, so no update between the two is missed; an unknown
   * board (or any failure) leaves the room again and nacks.
   */
  @SubscribeMessage('subscribe')
  subscribe(
    @ConnectedSocket() socket: ClientSocket,
    @MessageBody() payload: unknown,
  ): Promise<Ack<{ snapshot: Snapshot } | { me: MeState }> | Nack> {
    return this.answer(async () => {
      if (isMeRoom(payload)) return this.subscribeMe(socket, payload);
      const board = roomBoard((await validateMessage(RoomMessage, payload)).room);
      await socket.join(boardRoom(board));
      try {
        return { snapshot: await this.queryBus.execute(new GetLeaderboardQuery(board)) };
      } catch (error) {
        await socket.leave(boardRoom(board));
        throw error;
      }
    });
  }

  @SubscribeMessage('unsubscribe')
  unsubscribe(@ConnectedSocket() socket: ClientSocket, @MessageBody() payload: unknown): Promise<Ack<object> | Nack> {
    return this.answer(async () => {
      if (isMeRoom(payload)) await socket.leave((await this.meRoomOf(socket, payload)).room);
      else await socket.leave(boardRoom(roomBoard((await validateMessage(RoomMessage, payload)).room)));
      return {};
    });
  }

  /** Joins the player's own room on that board, then acks their view (read after joining: no change is missed). */
  private async subscribeMe(socket: ClientSocket, payload: unknown): Promise<{ me: MeState }> {
    const { room, board, userId } = await this.meRoomOf(socket, payload);
    await socket.join(room);
    try {
      return { me: await this.queryBus.execute(new WatchMeQuery(userId, board)) };
    } catch (error) {
      await socket.leave(room);
      throw error;
    }
  }

  private async meRoomOf(socket: ClientSocket, payload: unknown): Promise<{ room: string; board: string; userId: number }> {
    const { board = GLOBAL_BOARD } = await validateMessage(MeRoomMessage, payload);
    const userId = playerId(socket.data.principal);
    if (userId === undefined) throw new ForbiddenException('Room me needs a token whose sub is a user id');
    return { room: meRoom(board, userId), board, userId };
  }

  /** The REST submission over the socket: same validation, same command, same authorisation. */
  @SubscribeMessage('score:update')
  scoreUpdate(@ConnectedSocket() socket: ClientSocket, @MessageBody() payload: unknown): Promise<Ack<{ result: ScoreResult }> | Nack> {
    return this.answer(async () => {
      const { userId, score, actionId } = await validateMessage(ScoreUpdateMessage, payload);
      return { result: await this.commandBus.execute(new UpdateScoreCommand(socket.data.principal, userId, score, actionId)) };
    });
  }

  /** Every outcome becomes an ack (Nest only sends it when the client asked for one). */
  private async answer<T extends object>(work: () => Promise<T>): Promise<Ack<T> | Nack> {
    try {
      return { ok: true, ...(await work()) };
    } catch (exception) {
      const error = toErrorBody(exception);
      if (error.statusCode >= 500)
        this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
      return { ok: false, error };
    }
  }
}
