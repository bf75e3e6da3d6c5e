import { IsString, Length } from 'class-validator';

export class CreateUserDto {
  /**
   * Display name, 1–64 characters.
   * @example "Marcus"
   */
  @IsString()
  @Length(1, 64)
  name: string;
}
