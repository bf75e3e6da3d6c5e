import { ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ListUsersDto, Order, ORDERS } from '../../users/dto/list-users.dto';

/** `ids=1,2,3`: integers; anything else is kept as text so the validation fails (400). */
const parseIds = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^[1-9]\d{0,15}(,[1-9]\d{0,15})*$/.test(value) ? value.split(',').map(Number) : [value];

export class BoardEntriesDto extends PickType(ListUsersDto, ['limit', 'page']) {
  /**
   * `score desc` or `score asc` (`score+desc` in a URL); default: the board's rank order (`asc` boards list the
   * lowest score first). `rank` is the board rank either way.
   */
  @ApiPropertyOptional({ enum: ORDERS, example: 'score desc' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.replace(/\+/g, ' ') : value))
  @IsIn(ORDERS)
  order?: Order;

  /**
   * Just these users (at most 100, e.g. a player's friends), with their board ranks.
   */
  @ApiPropertyOptional({ type: String, example: '3,7,12' })
  @IsOptional()
  @Transform(parseIds)
  @ArrayMaxSize(100)
  @IsInt({ each: true, message: 'ids must be a comma-separated list of user ids' })
  @Max(Number.MAX_SAFE_INTEGER, { each: true, message: 'ids must be a comma-separated list of user ids' })
  ids?: number[];
}

export class ListPeriodsDto {
  /** Periods per page, 1–100. */
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20, example: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  /** Only periods with a smaller number (exclusive), for the next page. @example 12 */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  before?: number;
}
