import { Module } from '@nestjs/common';
import { RealtimeGateway } from './realtime.gateway';

/** Socket.IO: the gateway (handshake auth, typed events, message validation); the adapter is set in app.factory.ts. */
@Module({
  providers: [RealtimeGateway],
  exports: [RealtimeGateway],
})
export class RealtimeModule {}
