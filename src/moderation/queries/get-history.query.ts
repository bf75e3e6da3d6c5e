import { Query } from '@nestjs/cqrs';
import { Principal } from '../../auth/principal';
import { HistoryPage } from '../dto/history.dto';

/** A user's ledger rows, newest first, keyset-paged by ledger id. */
export class GetHistoryQuery extends Query<HistoryPage> {
  constructor(
    readonly principal: Principal,
    readonly userId: number,
    readonly limit: number,
    readonly before?: number,
    readonly board?: string,
  ) {
    super();
  }
}
