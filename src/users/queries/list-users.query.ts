import { Query } from '@nestjs/cqrs';
import { Order } from '../dto/list-users.dto';
import { UserPage } from '../dto/user.response';

export class ListUsersQuery extends Query<UserPage> {
  constructor(
    readonly limit: number,
    readonly page: number,
    readonly order: Order,
  ) {
    super();
  }
}
