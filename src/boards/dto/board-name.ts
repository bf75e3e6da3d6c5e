import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, Matches } from 'class-validator';

/** Contract §3 names: 1–64 characters after trimming, NFC, no control or format characters (Cc, Cf). */
const NAME_PATTERN = /^[^\p{Cc}\p{Cf}]{1,64}$/u;

export const IsDisplayName = () =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().normalize('NFC') : value)),
    IsString(),
    Matches(NAME_PATTERN, { message: '$property must be 1–64 characters after trimming, without control or format characters' }),
  );
