import { Query } from '@nestjs/cqrs';
import { Snapshot } from '../snapshot';

/** The current top-10 snapshot (other modules, e.g. the first page of GET /api/users, ask through the bus). */
export class GetLeaderboardQuery extends Query<Snapshot> {}
