import { BadRequestException, PipeTransform } from '@nestjs/common';

const MAX_ID = 2n ** 63n - 1n;

/** `{id}` path segments: positive integers up to 2^63−1 (PostgreSQL bigint), anything else is 400. */
export class ParseUserIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^[1-9]\d{0,18}$/.test(value) || BigInt(value) > MAX_ID) {
      throw new BadRequestException(['id must be a positive integer up to 9223372036854775807']);
    }
    return Number(value);
  }
}
