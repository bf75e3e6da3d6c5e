import { BadRequestException } from '@nestjs/common';
import { canonicalTimeZone, scheduleError } from './board-schedule';

/** The reset and time zone as stored, or a 400 naming the field (unknown zone, bad cron, periods under 5 s). */
export function validSchedule(reset: string, timezone: string): { reset: string; timezone: string } {
  const zone = canonicalTimeZone(timezone);
  if (!zone) throw new BadRequestException(['timezone must be an IANA time zone name, e.g. Europe/Paris']);
  const error = scheduleError(reset, zone);
  if (error) throw new BadRequestException([error]);
  return { reset, timezone: zone };
}

export function refuseMaxIncrement(operator: string, maxIncrement: number | undefined): void {
  if (maxIncrement !== undefined && operator !== 'incr') throw new BadRequestException(['maxIncrement applies to incr boards only']);
}
