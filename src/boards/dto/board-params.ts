import { BadRequestException, createParamDecorator, ExecutionContext, NotFoundException, PipeTransform } from '@nestjs/common';
import { BOARD_KEY_PATTERN } from '../board';
import { ParseUserIdPipe } from '../../users/dto/user-id.pipe';

// Raw segments: with @Param the global ValidationPipe would first coerce "1e3" to 1000 (see user-id.pipe.ts)
const rawParam = (name: string) =>
  createParamDecorator((_: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<{ params: Record<string, string> }>().params[name]);

/** `{key}`: a key no board can have (it would fail the keys' CHECK; a NUL would even fail the query) is 404 at once. */
export class ParseBoardKeyPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!BOARD_KEY_PATTERN.test(value)) throw new NotFoundException(`Board ${JSON.stringify(value)} not found`);
    return value;
  }
}

/** `{period}`: a period number, 1…2^31−1; anything else is 400. */
export class ParsePeriodPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (typeof value !== 'string' || !/^[1-9]\d{0,9}$/.test(value) || Number(value) > 2_147_483_647) {
      throw new BadRequestException(['period must be a positive integer']);
    }
    return Number(value);
  }
}

/** The `{userId}` path segment as a validated user id (the rule of `{id}` in /api/users). */
export const BoardUserIdParam = () => rawParam('userId')(ParseUserIdPipe);
export const PeriodParam = () => rawParam('period')(ParsePeriodPipe);
