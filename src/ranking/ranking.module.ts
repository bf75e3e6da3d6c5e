import { Module } from '@nestjs/common';
import { RankIndex } from './rank-index';
import { RankIndexRebuilder } from './rank-index-rebuilder';
import { RankStore } from './rank-store';
import { UpdateRankIndexHandler } from './update-rank-index.handler';

/** The Redis rank index: O(log n) ranks with the contract's tie-break, rebuilt from PostgreSQL. */
@Module({
  providers: [RankStore, RankIndexRebuilder, RankIndex, UpdateRankIndexHandler],
  exports: [RankIndex, RankStore],
})
export class RankingModule {}
