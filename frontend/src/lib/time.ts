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
