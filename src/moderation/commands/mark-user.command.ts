import { Command } from '@nestjs/cqrs';
import { Principal } from '../../auth/principal';
import { Mark } from '../user-marks';

/** Ban (with a reason), unban or erase a user. */
export class MarkUserCommand extends Command<void> {
  constructor(
    readonly principal: Principal,
    readonly mark: Mark,
    readonly userId: number,
    readonly reason?: string,
  ) {
    super();
  }
}
