import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ToInteger } from '../../http/integer-input';

export const ORDERS = ['score desc', 'score asc'] as const;
export type Order = (typeof ORDERS)[number];

export class ListUsersDto {
  /** Page size, 1–100. */
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 10;

  /** Zero-based page number. */
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  page: number = 0;

  /** `score desc` (default) or `score asc`; written `score+desc` in a URL. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.replace(/\+/g, ' ') : value))
  @IsIn(ORDERS)
  order: Order = 'score desc';
}

export class AroundDto {
  /** Neighbours above and below, 1–50. */
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(50)
  limit: number = 5;
}
