import { BadRequestException, ForbiddenException, NotFoundException } from '@nestjs/common';

/** An outcome the submission statement refused, on any board. */
export type Refused = { status: 'unknown-user' | 'over-maximum' } | { status: 'banned'; reason: string };

/** The answer to a refused submission: one definition for the global board and every other (the 403 names the ban, §9). */
export function refusal(userId: number, outcome: Refused): Error {
  switch (outcome.status) {
    case 'unknown-user':
      return new NotFoundException(`User ${userId} not found`);
    case 'banned':
      return new ForbiddenException(`User ${userId} is banned: ${outcome.reason}`);
    case 'over-maximum':
      return new BadRequestException(['score would take the total past its maximum']);
  }
}
