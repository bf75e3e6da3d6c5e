import { Query } from '@nestjs/cqrs';
import { BannedUserResponse, UserResponse } from '../dto/user.response';

export class GetUserQuery extends Query<UserResponse | BannedUserResponse> {
  constructor(readonly userId: number) {
    super();
  }
}
