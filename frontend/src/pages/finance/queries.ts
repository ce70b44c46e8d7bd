import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { PageArgs } from '../../api/pagination';
import type { operations } from '../../api/schema.gen';
import type { FinClearingInput, FinCreateAccountInput, FinManualEntryInput, FinRoyaltyInput, FinStatement } from '../../api/types';
import { saveDownload } from '../../components/download';
import type { EntryFilters, ManualFilters, SettlementFilters } from './filters';

// Server state of the finance module (books, journal, manual entries,
// periods, statements, rules, settlements): query keys, loaders and
// mutations, shared by the module's pages.

export type { EntryFilters };
export type StatementKind = operations['getFinanceStatement']['parameters']['path']['kind'];
export type StatementQuery = Omit<operations['getFinanceStatement']['parameters']['query'], 'format'>;

export const financeKeys = {
  all: ['finance'] as const,
  entities: ['finance', 'entities'] as const,
  accounts: ['finance', 'accounts'] as const,
  periods: (entityId: string, year: number) => ['finance', 'periods', entityId, year] as const,
  entries: ['finance', 'entries'] as const,
  entry: (id: string) => ['finance', 'entries', id] as const,
  manual: ['finance', 'manual'] as const,
  manualEntry: (id: string) => ['finance', 'manual', id] as const,
  statement: (kind: StatementKind, q: StatementQuery) => ['finance', 'statement', kind, q] as const,
  clearing: ['finance', 'clearing'] as const,
  royalty: ['finance', 'royalty'] as const,
  settlements: ['finance', 'settlements'] as const,
  settlement: (id: string) => ['finance', 'settlements', id] as const,
};

export function useEntities(enabled = true) {
  return useQuery({
    queryKey: financeKeys.entities,
    queryFn: () => unwrap(api.GET('/api/v1/finance/entities')),
    select: (l) => l.data,
    enabled,
    staleTime: 60_000,
  });
}

export function useAccounts(enabled = true) {
  return useQuery({
    queryKey: financeKeys.accounts,
    queryFn: () => unwrap(api.GET('/api/v1/finance/accounts')),
    select: (l) => l.data,
    enabled,
    staleTime: 60_000,
  });
}

export function useCreateAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: FinCreateAccountInput; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/finance/accounts', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: financeKeys.accounts }),
  });
}

export function usePeriods(entityId: string | undefined, year: number) {
  return useQuery({
    queryKey: financeKeys.periods(entityId ?? '', year),
    queryFn: () => unwrap(api.GET('/api/v1/finance/periods', { params: { query: { entity_id: entityId ?? '', year } } })),
    select: (l) => l.data,
    enabled: !!entityId,
  });
}

export function usePeriodAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ action, entityId, year, month }: { action: 'close' | 'lock' | 'reopen'; entityId: string; year: number; month: number }) => {
      const body = { entity_id: entityId, year, month };
      if (action === 'close') return unwrap(api.POST('/api/v1/finance/periods/close', { body }));
      if (action === 'lock') return unwrap(api.POST('/api/v1/finance/periods/lock', { body }));
      return unwrap(api.POST('/api/v1/finance/periods/reopen', { body }));
    },
    onSuccess: (p) => queryClient.invalidateQueries({ queryKey: financeKeys.periods(p.entity_id, p.year) }),
  });
}

export function useYearEndClose() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ entityId, year, idempotencyKey }: { entityId: string; year: number; idempotencyKey: string }) =>
      unwrap(
        api.POST('/api/v1/finance/year-end-close', {
          body: { entity_id: entityId, year },
          params: { header: { 'Idempotency-Key': idempotencyKey } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: financeKeys.all }),
  });
}

export const fetchEntries = ({ limit, cursor, filters }: PageArgs<EntryFilters>) =>
  unwrap(api.GET('/api/v1/finance/entries', { params: { query: { ...filters, limit, cursor } } }));

export function useEntry(id: string) {
  return useQuery({ queryKey: financeKeys.entry(id), queryFn: () => unwrap(api.GET('/api/v1/finance/entries/{id}', { params: { path: { id } } })) });
}

export function useReverseEntry(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ memo, businessDate, idempotencyKey }: { memo?: string; businessDate?: string; idempotencyKey: string }) =>
      unwrap(
        api.POST('/api/v1/finance/entries/{id}/reverse', {
          params: { path: { id }, header: { 'Idempotency-Key': idempotencyKey } },
          body: { ...(memo ? { memo } : {}), ...(businessDate ? { business_date: businessDate } : {}) },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: financeKeys.entries }),
  });
}

export const fetchManualEntries = ({ limit, cursor, filters }: PageArgs<ManualFilters>) =>
  unwrap(api.GET('/api/v1/finance/manual-entries', { params: { query: { ...filters, limit, cursor } } }));

export function useManualEntry(id: string) {
  return useQuery({
    queryKey: financeKeys.manualEntry(id),
    queryFn: () => unwrap(api.GET('/api/v1/finance/manual-entries/{id}', { params: { path: { id } } })),
  });
}

export function useCreateManualEntry() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: FinManualEntryInput; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/finance/manual-entries', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: financeKeys.manual }),
  });
}

export function useDecideManualEntry() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision, idempotencyKey }: { id: string; decision: 'approve' | 'reject'; idempotencyKey: string }) =>
      decision === 'approve'
        ? unwrap(
            api.POST('/api/v1/finance/manual-entries/{id}/approve', { params: { path: { id }, header: { 'Idempotency-Key': idempotencyKey } } }),
          )
        : unwrap(api.POST('/api/v1/finance/manual-entries/{id}/reject', { params: { path: { id } } })),
    onSuccess: (entry) => {
      queryClient.setQueryData(financeKeys.manualEntry(entry.id), entry);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: financeKeys.manual }),
        queryClient.invalidateQueries({ queryKey: financeKeys.entries }),
      ]);
    },
  });
}

export function useStatement(kind: StatementKind, query: StatementQuery | undefined) {
  return useQuery({
    queryKey: financeKeys.statement(kind, query ?? { from: '', to: '' }),
    queryFn: async (): Promise<FinStatement> => {
      const st = await unwrap(api.GET('/api/v1/finance/statements/{kind}', { params: { path: { kind }, query: query ?? { from: '', to: '' } } }));
      // Without `format` the API answers JSON; the CSV/XLSX bodies come only through downloadStatement.
      if (typeof st === 'string') throw new Error('finance: the statement came back as a file');
      return st;
    },
    enabled: query !== undefined,
  });
}

/** downloadStatement saves a statement as XLSX or CSV (the API's format parameter). */
export const downloadStatement = (kind: StatementKind, query: StatementQuery, format: 'xlsx' | 'csv') =>
  saveDownload(
    api.GET('/api/v1/finance/statements/{kind}', { params: { path: { kind }, query: { ...query, format } }, parseAs: 'blob' }),
    `${kind}-${query.from}-${query.to}.${format}`,
  );

export function useClearingRules() {
  return useQuery({ queryKey: financeKeys.clearing, queryFn: () => unwrap(api.GET('/api/v1/finance/clearing-rules')), select: (l) => l.data });
}

export function useSetClearingRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: FinClearingInput) => unwrap(api.PUT('/api/v1/finance/clearing-rules', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: financeKeys.clearing }),
  });
}

export function useRoyaltyRules() {
  return useQuery({ queryKey: financeKeys.royalty, queryFn: () => unwrap(api.GET('/api/v1/finance/royalty-rules')), select: (l) => l.data });
}

export function useSetRoyaltyRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: FinRoyaltyInput) => unwrap(api.PUT('/api/v1/finance/royalty-rules', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: financeKeys.royalty }),
  });
}

export const fetchSettlements = ({ limit, cursor, filters }: PageArgs<SettlementFilters>) =>
  unwrap(api.GET('/api/v1/finance/settlements', { params: { query: { ...filters, limit, cursor } } }));

export function useSettlement(id: string) {
  return useQuery({
    queryKey: financeKeys.settlement(id),
    queryFn: () => unwrap(api.GET('/api/v1/finance/settlements/{id}', { params: { path: { id } } })),
  });
}

export function useGenerateSettlement() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ franchiseeId, year, month, idempotencyKey }: { franchiseeId: string; year: number; month: number; idempotencyKey: string }) =>
      unwrap(
        api.POST('/api/v1/finance/settlements', {
          body: { franchisee_id: franchiseeId, year, month },
          params: { header: { 'Idempotency-Key': idempotencyKey } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: financeKeys.settlements }),
  });
}

export function usePostSettlement(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (idempotencyKey: string) =>
      unwrap(api.POST('/api/v1/finance/settlements/{id}/post', { params: { path: { id }, header: { 'Idempotency-Key': idempotencyKey } } })),
    onSuccess: (s) => {
      queryClient.setQueryData(financeKeys.settlement(id), s);
      return queryClient.invalidateQueries({ queryKey: financeKeys.all });
    },
  });
}
