import { Module } from '@nestjs/common';
import { BoardsModule } from '../boards/boards.module';
import { RankingModule } from '../ranking/ranking.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { MarkChangedBoardsHandler, MarkPeriodClosedHandler } from './me-changes.handler';
import { MeReader } from './me-reader';
import { MeWatch } from './me-watch';
import { HearNamesHandler, Names } from './names';
import { WatchMeHandler } from './watch-me.handler';

/** A player's own live view (contract §9): the `me` room's ack and its once-a-second me:update. */
@Module({
  imports: [RealtimeModule, RankingModule, BoardsModule],
  providers: [MeReader, MeWatch, WatchMeHandler, MarkChangedBoardsHandler, MarkPeriodClosedHandler, Names, HearNamesHandler],
})
export class MeModule {}
