import { BoardEntry } from './user.response';

export class AroundResponse {
  /** The user with up to `limit` players directly above and below, in rank order. */
  data: BoardEntry[];
}
