import { IsDisplayName } from './display-name';

export class CreateUserDto {
  /**
   * Display name: 1–64 characters after trimming, no control or format characters; stored trimmed and NFC-normalised.
   * @example "Marcus"
   */
  @IsDisplayName()
  name: string;
}
