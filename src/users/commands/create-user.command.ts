import { Command } from '@nestjs/cqrs';
import { UserResponse } from '../dto/user.response';

export class CreateUserCommand extends Command<UserResponse> {
  constructor(readonly name: string) {
    super();
  }
}
