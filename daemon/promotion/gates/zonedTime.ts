// Wall-clock time in an IANA time zone with nothing but Intl: the parts of an instant there, the
// instant of a wall-clock time there (DST gaps and overlaps included), and the short form the
// checklist prints ("Mon 7 Dec 10:00").

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface WallClock {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
}

export interface ZonedParts extends WallClock {
  weekday: Weekday;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Throws a RangeError for a name that is not a time zone; isTimeZone asks first. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function zonedParts(date: Date, timeZone: string): ZonedParts {
  const parts = formatterFor(timeZone).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? '';
  const weekday = part('weekday').toLowerCase() as Weekday;
  return {
    year: Number(part('year')),
    month: Number(part('month')),
    day: Number(part('day')),
    hour: Number(part('hour')),
    minute: Number(part('minute')),
    weekday,
  };
}

/** How far the zone's wall clock is ahead of UTC at `ms`, in milliseconds (to the minute). */
function offsetMs(ms: number, timeZone: string): number {
  const p = zonedParts(new Date(ms), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - (ms - mod(ms, 60_000));
}

const halfDayMs = 12 * 3_600_000;

/**
 * The instant the zone's clocks show `wall`. A time the clocks repeat (autumn) is its first
 * occurrence; a time they skip (spring) is moved later by the gap, as Temporal's `compatible` does:
 * 02:30 on the morning Paris jumps from 02:00 to 03:00 is 03:30.
 */
export function zonedInstant(wall: WallClock, timeZone: string): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const before = asUtc - offsetMs(asUtc - halfDayMs, timeZone);
  const after = asUtc - offsetMs(asUtc + halfDayMs, timeZone);
  const real = [before, after].filter((t) =>
    sameWallClock(zonedParts(new Date(t), timeZone), wall),
  );
  return new Date(real.length > 0 ? Math.min(...real) : before);
}

/** The calendar day `days` after the wall clock's (its time of day kept): plain date arithmetic. */
export function addDays(wall: WallClock, days: number): WallClock {
  const d = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + days));
  return { ...wall, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function weekdayOf(wall: WallClock): Weekday {
  return WEEKDAYS[new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay()]!;
}

/** "Mon 7 Dec 10:00", the zone's wall clock at `date`. */
export function formatZoned(date: Date, timeZone: string): string {
  const p = zonedParts(date, timeZone);
  return `${dayName(p.weekday)} ${p.day} ${MONTHS[p.month - 1]} ${clock(p.hour * 60 + p.minute)}`;
}

/** "Fri 27 Nov 16:02 UTC" */
export function formatUtc(date: Date): string {
  return `${formatZoned(date, 'UTC')} UTC`;
}

export function dayName(day: Weekday): string {
  return day.charAt(0).toUpperCase() + day.slice(1);
}

/** Minutes since midnight as "HH:MM"; 1440 is "24:00". */
export function clock(minutes: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

function sameWallClock(a: WallClock, b: WallClock): boolean {
  return (
    a.year === b.year &&
    a.month === b.month &&
    a.day === b.day &&
    a.hour === b.hour &&
    a.minute === b.minute
  );
}

function mod(n: number, m: number): number {
  return ((n % m) + m) % m;
}
