// The deploy-window gate: is it now, in the window's time zone, one of the days and hours
// railyard.json allows? Pure: the window, the clock and any override in, the answer out.
import type { OverrideRecord } from '../../../protocol/protocol';
import type { GateDefinition, GateOutcome, PromotionSettings } from '../gateContext';
import {
  WEEKDAYS,
  addDays,
  clock,
  dayName,
  formatZoned,
  isTimeZone,
  weekdayOf,
  zonedInstant,
  zonedParts,
  type WallClock,
  type Weekday,
} from './zonedTime';

export type DeployWindowConfig = NonNullable<PromotionSettings['deployWindow']>;

/** A window read from railyard.json: it opens at `start` (minutes after midnight) on each of `days`. */
export interface DeployWindow {
  days: ReadonlySet<Weekday>;
  start: number;
  /** Minutes; past midnight when the hours wrap ("22:00-02:00"), a whole day when they are equal. */
  length: number;
  timeZone: string;
}

export const deployWindowGate: GateDefinition = {
  id: 'deploy-window',
  title: 'Deploy window',
  evaluate: (ctx) =>
    Promise.resolve(
      evaluateDeployWindow(ctx.settings.deployWindow, ctx.now(), ctx.record.overrides.window),
    ),
};

export function evaluateDeployWindow(
  config: DeployWindowConfig | undefined,
  now: Date,
  override?: OverrideRecord,
): GateOutcome {
  if (!config) return { state: 'pass', detail: 'No deploy window configured' };
  const window = parseDeployWindow(config);
  if (typeof window === 'string') {
    if (override) return overridden(override, `The deploy window could not be read (${window})`);
    return { state: 'fail', detail: window, actions: ['override-window'] };
  }
  const openDay = openingDayAt(window, now);
  if (openDay)
    return { state: 'pass', detail: `Inside the window (${describeWindow(window, [openDay])})` };
  const next = nextOpening(window, now);
  const evidence = [
    { label: 'window', text: describeWindow(window, [...window.days]) },
    { label: 'now', text: `${formatZoned(now, window.timeZone)} ${window.timeZone}` },
    { label: 'next opening', text: `${formatZoned(next, window.timeZone)} ${window.timeZone}` },
  ];
  const outside = `Outside the window (${describeWindow(window, [...window.days])})`;
  if (override) return { ...overridden(override, outside), evidence };
  return {
    state: 'fail',
    detail: `${outside}: next opens ${formatZoned(next, window.timeZone)} ${window.timeZone}`,
    evidence,
    actions: ['override-window'],
  };
}

/** The window, or a sentence saying what in railyard.json is wrong with it. */
export function parseDeployWindow(config: DeployWindowConfig): DeployWindow | string {
  const { timeZone } = config;
  if (!isTimeZone(timeZone))
    return `railyard.json's deployWindow.timeZone "${timeZone}" is not an IANA time zone (such as Europe/Paris)`;
  const match = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(config.hours);
  const [startH, startM, endH, endM] = (match?.slice(1) ?? []).map(Number);
  const start = minutesOf(startH, startM, false);
  const end = minutesOf(endH, endM, true);
  if (start === undefined || end === undefined)
    return `railyard.json's deployWindow.hours "${config.hours}" is not a range of times such as "10:00-12:00"`;
  const length = end > start ? end - start : end - start + 1440;
  return { days: new Set(config.days), start, length, timeZone };
}

/** 00:00–23:59, and 24:00 as an end. */
function minutesOf(
  h: number | undefined,
  m: number | undefined,
  isEnd: boolean,
): number | undefined {
  if (h === undefined || m === undefined || m > 59) return undefined;
  if (h < 24 || (isEnd && h === 24 && m === 0)) return h * 60 + m;
  return undefined;
}

/**
 * The day whose window is open at `now`: today's, or yesterday's running on past midnight. Wall
 * clock minutes, so "10:00-12:00" means what the clocks there say, on a DST morning too.
 */
export function openingDayAt(window: DeployWindow, now: Date): Weekday | undefined {
  const p = zonedParts(now, window.timeZone);
  const minute = p.hour * 60 + p.minute;
  const end = window.start + window.length;
  if (window.days.has(p.weekday) && minute >= window.start && minute < end) return p.weekday;
  const yesterday = weekdayOf(addDays(p, -1));
  if (window.days.has(yesterday) && minute + 1440 < end) return yesterday;
  return undefined;
}

/** The first opening after `now`; within a week, as every window opens on at least one day. */
export function nextOpening(window: DeployWindow, now: Date): Date {
  const today: WallClock = { ...zonedParts(now, window.timeZone) };
  const opensAt = { hour: Math.floor(window.start / 60), minute: window.start % 60 };
  for (let i = 0; i <= 7; i++) {
    const day = { ...addDays(today, i), ...opensAt };
    if (!window.days.has(weekdayOf(day))) continue;
    const at = zonedInstant(day, window.timeZone);
    if (at.getTime() > now.getTime()) return at;
  }
  throw new Error('a deploy window with no days never opens');
}

/** "Mon–Fri 10:00–12:00 Europe/Paris"; an end at midnight reads "24:00". */
export function describeWindow(window: DeployWindow, days: Weekday[]): string {
  const end = window.start + window.length;
  const hours = `${clock(window.start)}–${clock(end === 1440 ? end : end % 1440)}`;
  return `${dayList(days)} ${hours} ${window.timeZone}`;
}

/** Monday first; three or more days in a row as a range ("Mon–Fri", "Sat, Sun"). */
function dayList(days: Weekday[]): string {
  const week = [...WEEKDAYS.slice(1), WEEKDAYS[0]];
  const idx = [...new Set(days)].map((d) => week.indexOf(d)).sort((a, b) => a - b);
  const runs: number[][] = [];
  for (const i of idx) {
    const run = runs.at(-1);
    if (run && run.at(-1) === i - 1) run.push(i);
    else runs.push([i]);
  }
  const name = (i: number) => dayName(week[i]!);
  return runs
    .flatMap((r) => (r.length >= 3 ? [`${name(r[0]!)}–${name(r.at(-1)!)}`] : r.map(name)))
    .join(', ');
}

function overridden(override: OverrideRecord, why: string): GateOutcome {
  return {
    state: 'pass',
    detail: `${why}; overridden by ${override.by}: ${override.reason}`,
    evidence: [{ label: 'override', text: `${override.by} at ${override.at}: ${override.reason}` }],
  };
}
