import { BadRequestException, createParamDecorator, ExecutionContext, NotFoundException, PipeTransform } from '@nestjs/common';
import { ParseUserIdPipe } from '../../users/dto/user-id.pipe';
import { BOARD_KEY_PATTERN } from '../board';

// Raw segments: with @Param the global ValidationPipe would first coerce "1e3" to 1000 (see user-id.pipe.ts)
const rawParam = (name: string) =>
  createParamDecorator(
    (_: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<{ params: Record<string, string> }>().params[name],
  );

/** `{period}`: a period number, 1…2^31−1; anything else is 400. */
export class ParsePeriodPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (typeof value !== 'string' || !/^[1-9]\d{0,9}$/.test(value) || Number(value) > 2_147_483_647) {
      throw new BadRequestException(['period must be a positive integer']);
    }
    return Number(value);
  }
}

/** `{key}`: a segment that cannot be a board key names no board (404), and never reaches the database (e.g. a NUL). */
export class ParseBoardKeyPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !BOARD_KEY_PATTERN.test(value)) throw new NotFoundException('Board not found');
    return value;
  }
}

/** The `{userId}` path segment as a validated user id (the rule of `{id}` in /api/users). */
export const BoardUserIdParam = () => rawParam('userId')(ParseUserIdPipe);
export const PeriodParam = () => rawParam('period')(ParsePeriodPipe);
export const BoardKeyParam = () => rawParam('key')(ParseBoardKeyPipe);
