import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APPLY_BATCH_SQL } from '../../src/scores/score-ledger';

function pgbenchBinary(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((v) => join(base, v, 'bin', 'pgbench')).find(existsSync);
  return found ?? 'pgbench';
}

/**
 * The database's own limit: the service's submission statement, one submission per transaction
 * (BEGIN; statement; COMMIT as the service sends it), random players, unique actionIds.
 */
function script(users: number): string {
  const sql = APPLY_BATCH_SQL.replace('$1', 'ARRAY[0]')
    .replace('$2', 'ARRAY[:uid::bigint]')
    .replace('$3', 'ARRAY[1 + :pts::int]')
    .replace('$4', "ARRAY['pgbench-' || :client_id::text || '-' || :aid::text]");
  return `\\set uid random(1, ${users})\n\\set pts random(0, 99)\n\\set aid random(1, 9000000000000000)\nBEGIN;\n${sql.trim()};\nCOMMIT;\n`;
}

export interface PgbenchResult {
  best: number;
  bestClients: number;
  byClients: Record<number, number>;
}

export function runPgbench(databaseUrl: string, users: number, seconds: number, levels = [4, 8, 16, 32]): PgbenchResult {
  const file = join(tmpdir(), `bench-submit-${process.pid}.sql`);
  writeFileSync(file, script(users));
  const byClients: Record<number, number> = {};
  for (const clients of levels) {
    const out = execFileSync(
      pgbenchBinary(),
      ['-n', '-M', 'prepared', '-f', file, '-c', String(clients), '-j', '2', '-T', String(seconds), databaseUrl],
      { encoding: 'utf8' },
    );
    byClients[clients] = Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? NaN);
  }
  const [bestClients, best] = Object.entries(byClients).sort((a, b) => b[1] - a[1])[0];
  return { best, bestClients: Number(bestClients), byClients };
}
