import { canonicalTimeZone, nextBoundary, scheduleError } from './board-schedule';

describe('board schedules', () => {
  it('starts weekly periods on Monday 00:00 in the board time zone', () => {
    const sut = nextBoundary('weekly', 'Europe/Paris', new Date('2026-12-02T12:00:00Z'));
    expect(sut).toEqual(new Date('2026-12-06T23:00:00Z')); // Monday 7 Dec, 00:00 in Paris (UTC+1)
  });

  it('gives the boundary strictly after the given time, for the named resets and 6-field crons', () => {
    const at = new Date('2026-03-31T23:59:59.500Z');
    expect(nextBoundary('hourly', 'UTC', at)).toEqual(new Date('2026-04-01T00:00:00Z'));
    expect(nextBoundary('daily', 'Asia/Tokyo', at)).toEqual(new Date('2026-04-01T15:00:00Z'));
    expect(nextBoundary('monthly', 'UTC', at)).toEqual(new Date('2026-04-01T00:00:00Z'));
    expect(nextBoundary('*/5 * * * * *', 'UTC', new Date('2026-04-01T00:00:05Z'))).toEqual(new Date('2026-04-01T00:00:10Z'));
    expect(nextBoundary('never', 'UTC', at)).toBeNull();
  });

  it('accepts periods of exactly 5 s and refuses shorter ones, also when only some gaps are short', () => {
    expect(scheduleError('*/5 * * * * *', 'UTC')).toBeUndefined();
    expect(scheduleError('*/4 * * * * *', 'UTC')).toMatch(/5 seconds/);
    expect(scheduleError('0,3 * * * * *', 'UTC')).toMatch(/5 seconds/);
  });

  it('refuses what is not never, a named reset or a 5/6-field cron', () => {
    for (const reset of ['yearly', '@daily', '* * * *', '0 0 0 1 1 * 2030', '60 * * * *', ''])
      expect([reset, scheduleError(reset, 'UTC')]).toEqual([reset, expect.any(String)]);
    expect(scheduleError('0 0 30 2 *', 'UTC')).toBe('reset never fires');
  });

  it('knows IANA zones by their canonical names, not offsets', () => {
    expect(canonicalTimeZone('europe/paris')).toBe('Europe/Paris');
    expect(canonicalTimeZone('Mars/Olympus')).toBeUndefined();
    expect(canonicalTimeZone('+02:00')).toBeUndefined();
  });
});
