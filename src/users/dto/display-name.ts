import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, Matches } from 'class-validator';

/**
 * 1–64 characters (code points), none of them a control or format character (NUL, right-to-left override,
 * zero-width space: board spoofing) or a lone surrogate (not text: PostgreSQL would store U+FFFD instead).
 */
const DISPLAY_NAME = /^[^\p{Cc}\p{Cf}\p{Cs}]{1,64}$/u;

/** A display name (contract §3): trimmed and NFC-normalised first, so `"   "` is empty and stored names are canonical. */
export const IsDisplayName = () =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().normalize('NFC') : value)),
    IsString(),
    Matches(DISPLAY_NAME, { message: '$property must be 1–64 characters after trimming, without control or format characters' }),
  );
