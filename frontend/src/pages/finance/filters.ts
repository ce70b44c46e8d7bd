import type { Dayjs } from 'dayjs';
import type { operations } from '../../api/schema.gen';
import { dateRangeQuery, monthQuery } from '../../lib/time';

// The finance lists' search forms, mapped to the API's query parameters.

type DateRange = [string | Dayjs, string | Dayjs];
export type EntryFilters = NonNullable<operations['listFinanceEntries']['parameters']['query']>;
export type ManualFilters = NonNullable<operations['listFinanceManualEntries']['parameters']['query']>;
export type SettlementFilters = NonNullable<operations['listFinanceSettlements']['parameters']['query']>;

export interface JournalSearch extends Record<string, unknown> {
  entity_id?: string;
  source_type?: string;
  account_code?: string;
  store_id?: string;
  dates?: DateRange;
}

/** journalQuery: the journal's search form as listFinanceEntries' query. */
export function journalQuery({ dates, source_type, account_code, ...rest }: JournalSearch, timeZone: string): EntryFilters {
  const q: EntryFilters = { ...rest, ...dateRangeQuery(dates, timeZone) };
  if (source_type?.trim()) q.source_type = source_type.trim();
  if (account_code?.trim()) q.account_code = account_code.trim();
  return q;
}

export interface ManualSearch extends Record<string, unknown> {
  status?: ManualFilters['status'];
  entity_id?: string;
  created_by?: string;
  dates?: DateRange;
}

/** manualQuery: the manual entries' search form as listFinanceManualEntries' query. */
export function manualQuery({ dates, ...rest }: ManualSearch, timeZone: string): ManualFilters {
  return { ...rest, ...dateRangeQuery(dates, timeZone) };
}

export interface SettlementSearch extends Record<string, unknown> {
  franchisee_id?: string;
  status?: SettlementFilters['status'];
  month?: string | Dayjs;
}

/** settlementQuery: the settlements' search form as listFinanceSettlements' query. */
export function settlementQuery({ month, ...rest }: SettlementSearch): SettlementFilters {
  const m = monthQuery(month);
  return { ...rest, ...(m ? { month: m } : {}) };
}
