import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './proc';

export interface Row {
  figure: string;
  value: string;
  limit: string;
  ratio: string;
  target: string;
  met?: boolean;
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));
export const num = fmt;

export function environment(versions: Record<string, string>): string {
  return `${cpus().length} × ${cpus()[0]?.model.trim()}; Node ${process.versions.node}; ${Object.entries(versions)
    .map(([k, v]) => `${k} ${v}`)
    .join('; ')}`;
}

export function table(rows: Row[]): string {
  const lines = ['| figure | measured | limit (same run) | ratio | target | met |', '| --- | --- | --- | --- | --- | --- |'];
  for (const r of rows)
    lines.push(
      `| ${r.figure} | ${r.value} | ${r.limit} | ${r.ratio} | ${r.target} | ${r.met === undefined ? '—' : r.met ? 'yes' : '**no**'} |`,
    );
  return lines.join('\n');
}

/** bench/results/<timestamp>.json (ignored by git) and bench/results/latest.md (committed, copied into docs/performance.md). */
export function writeResults(rows: Row[], extra: Record<string, unknown>, header: string, notes: string[], latest = true): string {
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  writeFileSync(join(dir, `${stamp}.json`), JSON.stringify({ at: new Date().toISOString(), rows, ...extra }, null, 2));
  const md = [header, '', table(rows), '', ...notes.map((n) => `- ${n}`), ''].join('\n');
  if (latest) writeFileSync(join(dir, 'latest.md'), md);
  return md;
}
