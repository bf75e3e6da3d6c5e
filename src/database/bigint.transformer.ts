import { ValueTransformer } from 'typeorm';

/**
 * The one place where PostgreSQL bigint meets JSON: `pg` returns int8 as a string, clients get numbers.
 * Scores are capped at Number.MAX_SAFE_INTEGER by a CHECK constraint, so the conversion is exact.
 */
export const bigintToNumber: ValueTransformer = {
  to: (value?: number | null) => value,
  from: (value?: string | null) => (value === null || value === undefined ? value : Number(value)),
};

export function toNumber(value: string | number): number {
  return typeof value === 'number' ? value : Number(value);
}
