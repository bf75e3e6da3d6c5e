import { NotFoundException } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AdminAudit } from '../admin-audit';
import { UserMarks } from '../user-marks';
import { MarkUserCommand } from './mark-user.command';

@CommandHandler(MarkUserCommand)
export class MarkUserHandler implements ICommandHandler<MarkUserCommand> {
  constructor(
    private readonly marks: UserMarks,
    private readonly audit: AdminAudit,
  ) {}

  async execute({ principal, mark, userId, reason }: MarkUserCommand): Promise<void> {
    if (!(await this.marks.set(mark, userId, reason))) throw new NotFoundException(`User ${userId} not found`);
    this.audit.record(principal, mark, { userId }, reason);
  }
}
