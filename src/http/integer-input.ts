import { Transform } from 'class-transformer';

/** Plain decimal digits: no sign, exponent, radix prefix, fraction, padding or white space. */
const DECIMAL = /^(0|[1-9]\d{0,29})$/;

/**
 * The one rule for an integer written as text (path ids, query parameters): `1e3`, `0x10`, `1.0`, `+5`, ` 5`
 * and `007` are not integers here, whatever Number() would make of them. Exact at any size (bigint).
 */
export function parseDecimal(raw: unknown): bigint | undefined {
  return typeof raw === 'string' && DECIMAL.test(raw) ? BigInt(raw) : undefined;
}

/**
 * class-transformer for an integer query parameter: text in the rule's form becomes a number; anything else
 * stays as it came and fails the field's @IsInt() with a message naming the field.
 */
export const ToInteger = () =>
  Transform(({ value }: { value: unknown }) => {
    const parsed = parseDecimal(value);
    return parsed !== undefined && parsed <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(parsed) : value;
  });
