/**
 * The one place where PostgreSQL bigint meets JSON: `pg` returns int8 as a string, clients get numbers.
 * Scores and user ids are capped at Number.MAX_SAFE_INTEGER by CHECK constraints, so the conversion is exact.
 */
export function toNumber(value: string | number): number {
  return typeof value === 'number' ? value : Number(value);
}
