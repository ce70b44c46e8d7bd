// Times arrive as RFC 3339 UTC and are shown in the store's time zone (the
// chain's when no store is chosen): a shift that closed at 23:30 in
// Shanghai belongs to that day, whatever zone the browser is in. Pages get
// the zone from useTimeZone() (src/app/store-context.tsx).
import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import 'dayjs/locale/zh-cn';

dayjs.extend(utc);
dayjs.extend(timezone);

export { dayjs };

/** formatDateTime: "2026-03-01 09:30" in the zone; "" for null. */
export function formatDateTime(iso: string | null | undefined, timeZone: string): string {
  return iso ? dayjs(iso).tz(timeZone).format('YYYY-MM-DD HH:mm') : '';
}

/** formatDate: the calendar day in the zone ("2026-03-01"); "" for null. */
export function formatDate(iso: string | null | undefined, timeZone: string): string {
  return iso ? dayjs(iso).tz(timeZone).format('YYYY-MM-DD') : '';
}

/** startOfDayInZone: midnight of the picked calendar day in the zone, as RFC 3339 UTC. */
export function startOfDayInZone(day: Dayjs, timeZone: string): string {
  return dayjs.tz(day.format('YYYY-MM-DD'), timeZone).toISOString();
}

/** daysUntil: whole days from now until iso, never negative (trial days left). */
export function daysUntil(iso: string, now: Dayjs = dayjs()): number {
  return Math.max(0, Math.ceil(dayjs(iso).diff(now, 'hour') / 24));
}

/** setTimeLocale follows the console's language (dayjs month and weekday names). */
export function setTimeLocale(language: string): void {
  dayjs.locale(language === 'zh-CN' ? 'zh-cn' : 'en');
}

/**
 * businessDay: a picked calendar day as the API's business date (YYYY-MM-DD).
 * A business date is already a day in the store's or chain's zone, so the
 * day the user picked is sent as is, whatever the browser's zone; an
 * instant (RFC 3339) is first read in timeZone.
 */
export function businessDay(v: string | Dayjs, timeZone: string): string {
  if (typeof v !== 'string') return v.format('YYYY-MM-DD');
  return /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : dayjs(v).tz(timeZone).format('YYYY-MM-DD');
}

/** dateRangeQuery: a date-range picker's value as inclusive from/to business dates ({} when empty). */
export function dateRangeQuery(range: readonly [string | Dayjs, string | Dayjs] | null | undefined, timeZone: string): { from?: string; to?: string } {
  if (!range?.[0] || !range[1]) return {};
  return { from: businessDay(range[0], timeZone), to: businessDay(range[1], timeZone) };
}

/** monthQuery: a month picker's value as YYYY-MM (undefined when empty). */
export function monthQuery(v: string | Dayjs | null | undefined): string | undefined {
  if (!v) return undefined;
  return typeof v === 'string' ? v.slice(0, 7) : v.format('YYYY-MM');
}
