import { Query } from '@nestjs/cqrs';
import { UserResponse } from '../dto/user.response';

export class GetUserQuery extends Query<UserResponse> {
  constructor(readonly userId: number) {
    super();
  }
}
