import { BadRequestException, createParamDecorator, ExecutionContext, PipeTransform } from '@nestjs/common';

const MAX_ID = 2n ** 63n - 1n;

/** `{id}` path segments: positive integers up to 2^63−1 (PostgreSQL bigint), anything else is 400. */
export class ParseUserIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (typeof value !== 'string' || !/^[1-9]\d{0,18}$/.test(value) || BigInt(value) > MAX_ID) {
      throw new BadRequestException(['id must be a positive integer up to 9223372036854775807']);
    }
    return Number(value);
  }
}

// Reads the raw segment: with @Param('id') the global ValidationPipe first coerces "1e3" to 1000 and "0x10" to 16
const RawIdParam = createParamDecorator((_: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<{ params: Record<string, string> }>().params.id);

/** The `{id}` path segment as a validated user id. */
export const UserIdParam = () => RawIdParam(ParseUserIdPipe);
