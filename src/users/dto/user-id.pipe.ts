import { BadRequestException, createParamDecorator, ExecutionContext, NotFoundException, PipeTransform } from '@nestjs/common';
import { parseDecimal } from '../../http/integer-input';

/** Ids are PostgreSQL bigints: 1 … 2^63−1 (contract §3). */
const MAX_ID = 2n ** 63n - 1n;
/** A user id is at most 2^53−1 (migration LimitUserIds): larger ones could not be sent as exact JSON numbers. */
export const MAX_USER_ID = Number.MAX_SAFE_INTEGER;

/**
 * `{id}` path segments: positive integers up to 2^63−1, anything else is 400. Parsed exactly (bigint), so a large
 * id is never rounded into another user's: above 2^53−1 no user can exist, and the answer is 404 without a query.
 */
export class ParseUserIdPipe implements PipeTransform<unknown, number> {
  transform(value: unknown): number {
    const id = parseDecimal(value);
    if (id === undefined || id < 1n || id > MAX_ID)
      throw new BadRequestException(['id must be a positive integer up to 9223372036854775807']);
    if (id > BigInt(MAX_USER_ID)) throw new NotFoundException(`User ${id} not found`);
    return Number(id);
  }
}

// Reads the raw segment: with @Param('id') the global ValidationPipe first coerces "1e3" to 1000 and "0x10" to 16
const RawIdParam = createParamDecorator(
  (_: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<{ params: Record<string, string> }>().params.id,
);

/** The `{id}` path segment as a validated user id. */
export const UserIdParam = () => RawIdParam(ParseUserIdPipe);
