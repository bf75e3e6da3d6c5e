import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { MeReader } from './me-reader';
import { MeState } from './me-state';
import { MeWatch } from './me-watch';
import { WatchMeQuery } from './watch-me.query';

@QueryHandler(WatchMeQuery)
export class WatchMeHandler implements IQueryHandler<WatchMeQuery> {
  constructor(
    private readonly reader: MeReader,
    private readonly watch: MeWatch,
  ) {}

  /** Read after the socket joined its room, so a change after this read reaches it with the next tick. */
  async execute({ userId, board }: WatchMeQuery): Promise<MeState> {
    const state = await this.reader.one(board, userId);
    this.watch.watching(board, state);
    return state;
  }
}
