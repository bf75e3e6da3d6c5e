import { NotFoundException } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { toNumber } from '../../database/bigint.transformer';
import { AroundResponse } from '../dto/around.response';
import { AROUND_SQL } from '../../ranking/around.sql';
import { Ranks } from '../../ranking/ranks.service';
import { GetAroundQuery } from './get-around.query';

interface Row {
  id: string;
  name: string;
  score: string;
  pos: string;
  as_of: string;
}

@QueryHandler(GetAroundQuery)
export class GetAroundHandler implements IQueryHandler<GetAroundQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ranks: Ranks,
  ) {}

  async execute({ userId, limit }: GetAroundQuery): Promise<AroundResponse> {
    const rows: Row[] = await this.dataSource.query(AROUND_SQL, [userId, limit]);
    if (!rows.length) throw new NotFoundException(`User ${userId} not found`);
    // Neighbours' ranks follow from their distance to the user, whose rank comes from the index
    const rank = await this.ranks.rankOf(userId, BigInt(rows.find((row) => Number(row.pos) === 0)!.as_of));
    const data = rows
      .map((row) => ({ id: toNumber(row.id), rank: rank + Number(row.pos), name: row.name, score: toNumber(row.score) }))
      .sort((a, b) => a.rank - b.rank);
    return { data };
  }
}
