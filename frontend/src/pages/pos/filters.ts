import type { Dayjs } from 'dayjs';
import type { operations } from '../../api/schema.gen';
import { dateRangeQuery } from '../../lib/time';

export type ShiftFilters = NonNullable<operations['listPosShifts']['parameters']['query']>;

export interface ShiftSearch extends Record<string, unknown> {
  status?: ShiftFilters['status'];
  register_id?: string;
  cashier_id?: string;
  dates?: [string | Dayjs, string | Dayjs];
}

/** shiftQuery: the shift list's search form as listPosShifts' query (business days, inclusive). */
export function shiftQuery({ dates, ...rest }: ShiftSearch, timeZone: string): ShiftFilters {
  return { ...rest, ...dateRangeQuery(dates, timeZone) };
}
