import { Module } from '@nestjs/common';
import { ChangeFeed } from './change-feed';
import { ChangeFeedMetrics } from './change-feed.metrics';
import { ChangeFeedReader } from './change-feed.reader';

/** The change feed: every committed change to `users`, from any client, as ScoreChangedEvents. */
@Module({
  providers: [ChangeFeed, ChangeFeedReader, ChangeFeedMetrics],
  exports: [ChangeFeed, ChangeFeedReader],
})
export class ChangesModule {}
