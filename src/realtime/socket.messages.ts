import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { BOARD_KEY_PATTERN } from '../boards/board';
import { UpdateScoreDto } from '../scores/update-score.dto';
import { MAX_USER_ID } from '../users/dto/user-id.pipe';
import { ME_ROOM, ROOM_PATTERN } from './socket.events';

/** `subscribe` / `unsubscribe` payload. */
export class RoomMessage {
  /** `leaderboard` (global) or `leaderboard:{key}` (a board). */
  @IsString()
  @Matches(ROOM_PATTERN, { message: 'room must be leaderboard or leaderboard:{board key}' })
  room: string;
}

/** `subscribe` / `unsubscribe` of a player's own view: `{ room: "me", board? }` (default `global`). */
export class MeRoomMessage {
  @IsIn([ME_ROOM])
  room: string;

  @IsOptional()
  @IsString()
  @Matches(BOARD_KEY_PATTERN, { message: 'board must be a board key ([a-z0-9-]{1,32})' })
  board?: string;
}

export const isMeRoom = (payload: unknown): boolean =>
  typeof payload === 'object' && payload !== null && (payload as { room?: unknown }).room === ME_ROOM;

/** `score:update` payload: the REST body plus the user, a JSON integer. */
export class ScoreUpdateMessage extends UpdateScoreDto {
  @IsInt()
  @Min(1)
  @Max(MAX_USER_ID) // a larger JSON number is not exact, so it cannot name a user reliably
  userId: number;
}

// The same options as the global REST pipe: unknown fields, strings for numbers, floats and null are 400
const pipe = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false });

/** Validates a message payload exactly like a REST body; throws BadRequestException naming the fields. */
export async function validateMessage<T extends object>(type: new () => T, payload: unknown): Promise<T> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new BadRequestException(['payload must be a JSON object']);
  }
  return pipe.transform(payload, { type: 'body', metatype: type }) as Promise<T>;
}
