import { NotFoundException } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { UserResponse } from '../dto/user.response';
import { User } from '../user.entity';
import { UserRanks } from '../user-ranks.service';
import { GetUserQuery } from './get-user.query';

@QueryHandler(GetUserQuery)
export class GetUserHandler implements IQueryHandler<GetUserQuery> {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly ranks: UserRanks,
  ) {}

  async execute({ userId }: GetUserQuery): Promise<UserResponse> {
    const user = await this.users.findOneBy({ id: userId });
    if (!user) throw new NotFoundException(`User ${userId} not found`);
    return { id: user.id, rank: await this.ranks.rankOf(user.id), name: user.name, score: user.score, createdAt: user.createdAt, updatedAt: user.updatedAt };
  }
}
