import { IsOptional, IsString, Length, Matches } from 'class-validator';

export class DevTokenDto {
  /** The player's user id, as a string: the token may add to this user's score. */
  @IsOptional()
  @IsString()
  @Matches(/^[1-9]\d{0,18}$/, { message: 'sub must be a user id (positive integer as a string)' })
  sub?: string;

  /** Display name carried in the token (informational). */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  name?: string;

  /**
   * Space-separated scopes: `scores:write` (add to anyone's score), `users:write` (create users).
   * @example "scores:write users:write"
   */
  @IsOptional()
  @IsString()
  @Matches(/^(scores:write|users:write|boards:write)( (scores:write|users:write|boards:write))*$/, {
    message: 'scope must list scores:write, users:write and/or boards:write',
  })
  scope?: string;
}

export class DevTokenResponse {
  /** @example "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..." */
  accessToken: string;
  /** Lifetime in seconds. @example 3600 */
  expiresIn: number;
}
