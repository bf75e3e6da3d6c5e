import { Cron } from 'croner';

/** The named resets as cron patterns; `weekly` starts on Monday 00:00 (croner's @weekly is Sunday). */
const PRESETS: Record<string, string> = {
  hourly: '0 * * * *',
  daily: '0 0 * * *',
  weekly: '0 0 * * 1',
  monthly: '0 0 1 * *',
};
export const NEVER = 'never';
export const MIN_PERIOD_MS = 5000;
/** Consecutive boundaries checked for a gap under MIN_PERIOD_MS. */
const GAPS_CHECKED = 60;

function cron(reset: string, timezone: string): Cron {
  const pattern = PRESETS[reset] ?? reset;
  const fields = pattern.trim().split(/\s+/);
  // Only 5 or 6 plain fields: croner would also take nicknames (@daily) and a year field
  if (fields.length !== 5 && fields.length !== 6) throw new Error('a cron expression has 5 or 6 fields');
  return new Cron(pattern, { timezone, mode: '5-or-6-parts', paused: true });
}

/** The first period boundary strictly after `after` (null: the board never resets). */
export function nextBoundary(reset: string, timezone: string, after: Date): Date | null {
  if (reset === NEVER) return null;
  return cron(reset, timezone).nextRun(after);
}

/** Why `reset` in `timezone` is not a valid schedule, or undefined when it is. */
export function scheduleError(reset: string, timezone: string): string | undefined {
  if (reset === NEVER) return undefined;
  let runs: Date[];
  try {
    runs = cron(reset, timezone).nextRuns(GAPS_CHECKED);
  } catch (error) {
    return `reset is not never, hourly, daily, weekly, monthly or a valid cron expression (${(error as Error).message})`;
  }
  if (!runs.length) return 'reset never fires';
  for (let i = 1; i < runs.length; i++) {
    if (runs[i].getTime() - runs[i - 1].getTime() < MIN_PERIOD_MS) return 'reset must not make periods shorter than 5 seconds';
  }
  return undefined;
}

/** The canonical IANA name of a time zone the platform knows, or undefined. */
export function canonicalTimeZone(timezone: string): string | undefined {
  if (!/^[A-Za-z]/.test(timezone)) return undefined; // names only, not UTC offsets
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}
