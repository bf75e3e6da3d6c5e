import { Module } from '@nestjs/common';
import { ChangesModule } from '../changes/changes.module';
import { RankIndex } from './rank-index';
import { RankIndexRebuilder } from './rank-index-rebuilder';
import { RankStore } from './rank-store';
import { Ranks } from './ranks.service';
import { UpdateRankIndexHandler } from './update-rank-index.handler';

/** Owns ranking: the order (rank-order.ts), the Redis rank index following the change feed, and rank lookups. */
@Module({
  imports: [ChangesModule],
  providers: [RankStore, RankIndexRebuilder, RankIndex, Ranks, UpdateRankIndexHandler],
  exports: [Ranks, RankIndex],
})
export class RankingModule {}
