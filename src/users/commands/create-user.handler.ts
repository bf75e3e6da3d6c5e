import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { UserResponse } from '../dto/user.response';
import { User } from '../user.entity';
import { UserRanks } from '../user-ranks.service';
import { CreateUserCommand } from './create-user.command';

@CommandHandler(CreateUserCommand)
export class CreateUserHandler implements ICommandHandler<CreateUserCommand> {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly ranks: UserRanks,
  ) {}

  async execute({ name }: CreateUserCommand): Promise<UserResponse> {
    const { id } = await this.users.save(this.users.create({ name }));
    const user = await this.users.findOneByOrFail({ id });
    return { id, name: user.name, score: user.score, rank: await this.ranks.rankOf(id), createdAt: user.createdAt, updatedAt: user.updatedAt };
  }
}
