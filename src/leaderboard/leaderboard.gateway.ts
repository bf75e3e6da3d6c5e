import { Logger } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ConnectedSocket, MessageBody, OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import { JwtVerifier } from '../auth/jwt-verifier.service';
import { toErrorBody } from '../http/http-exception.filter';
import { IpRateLimiter } from '../rate-limit/ip-rate-limiter';
import { UpdateScoreCommand } from '../scores/commands/update-score.command';
import { ScoreResult } from '../scores/update-score.dto';
import { LeaderboardBroadcaster, LeaderboardServer } from './leaderboard.broadcaster';
import { Ack, Nack, SocketData } from './leaderboard.events';
import { LeaderboardMetrics } from './leaderboard.metrics';
import { RoomMessage, ScoreUpdateMessage, validateMessage } from './leaderboard.messages';
import { GetLeaderboardQuery } from './queries/get-leaderboard.query';
import { Snapshot } from './snapshot';
import { disconnectOnExpiry, socketAuth } from './socket-auth';

type ClientSocket = Socket<Record<string, never>, Record<string, never>, Record<string, never>, SocketData>;

/** Live board over Socket.IO (default namespace, path /socket.io). Handlers stay thin: validate, bus, ack. */
@WebSocketGateway()
export class LeaderboardGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(LeaderboardGateway.name);
  @WebSocketServer() readonly server: LeaderboardServer;

  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
    private readonly verifier: JwtVerifier,
    private readonly ipLimiter: IpRateLimiter,
    private readonly broadcaster: LeaderboardBroadcaster,
    private readonly metrics: LeaderboardMetrics,
  ) {}

  afterInit(server: LeaderboardServer): void {
    server.use(socketAuth(this.verifier, this.ipLimiter));
    this.broadcaster.attach(server);
  }

  handleConnection(socket: ClientSocket): void {
    this.metrics.sockets.inc();
    disconnectOnExpiry(socket, socket.data.principal);
  }

  handleDisconnect(): void {
    this.metrics.sockets.dec();
  }

  /** Joins room `leaderboard`, then acks the current snapshot, so no update between the two is missed. */
  @SubscribeMessage('subscribe')
  subscribe(@ConnectedSocket() socket: ClientSocket, @MessageBody() payload: unknown): Promise<Ack<{ snapshot: Snapshot }> | Nack> {
    return this.answer(async () => {
      const { room } = await validateMessage(RoomMessage, payload);
      await socket.join(room);
      return { snapshot: await this.queryBus.execute(new GetLeaderboardQuery()) };
    });
  }

  @SubscribeMessage('unsubscribe')
  unsubscribe(@ConnectedSocket() socket: ClientSocket, @MessageBody() payload: unknown): Promise<Ack<object> | Nack> {
    return this.answer(async () => {
      await socket.leave((await validateMessage(RoomMessage, payload)).room);
      return {};
    });
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
      if (error.statusCode >= 500) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
      return { ok: false, error };
    }
  }
}
