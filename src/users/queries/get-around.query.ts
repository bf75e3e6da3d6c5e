import { Query } from '@nestjs/cqrs';
import { AroundResponse } from '../dto/around.response';

/** A user and up to `limit` players directly above and below them in rank order. */
export class GetAroundQuery extends Query<AroundResponse> {
  constructor(
    readonly userId: number,
    readonly limit: number,
  ) {
    super();
  }
}
