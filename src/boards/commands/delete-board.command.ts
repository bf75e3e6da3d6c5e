import { Command } from '@nestjs/cqrs';

export class DeleteBoardCommand extends Command<void> {
  constructor(readonly key: string) {
    super();
  }
}
