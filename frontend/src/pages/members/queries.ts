import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { PageArgs } from '../../api/pagination';
import type { operations } from '../../api/schema.gen';
import type { CashOutInput, CreateMemberInput, MemberGiftInput, MemberTierInput, TopupRuleInput, MemberTierUpdate, PointsRuleInput, UpdateMemberInput } from '../../api/types';
import { saveDownload } from '../../components/download';

// Server state of the members module (members, tiers, points rule, gifts):
// query keys, loaders and mutations, shared by the module's pages.

export type MemberFilters = NonNullable<operations['listMembers']['parameters']['query']>;
type ExportFilters = NonNullable<operations['exportMembers']['parameters']['query']>;
type CardAction = operations['memberCardAction']['parameters']['path']['action'];

export const memberKeys = {
  all: ['members'] as const,
  detail: (id: string) => ['members', 'detail', id] as const,
  tiers: ['members', 'tiers'] as const,
  pointsRule: ['members', 'points-rule'] as const,
  gifts: ['members', 'gifts'] as const,
  topupRules: ['members', 'topup-rules'] as const,
};

export const fetchMembers = ({ limit, cursor, filters }: PageArgs<MemberFilters>) =>
  unwrap(api.GET('/api/v1/members', { params: { query: { ...filters, limit, cursor } } }));

/** countMembers: how many members the list's filters match (the list itself is cursor-paged). */
export const countMembers = (filters: MemberFilters) => unwrap(api.GET('/api/v1/members/count', { params: { query: filters } })).then((r) => r.count);

export function useMember360(id: string) {
  return useQuery({ queryKey: memberKeys.detail(id), queryFn: () => unwrap(api.GET('/api/v1/members/{id}', { params: { path: { id } } })) });
}

export function useTiers(enabled = true) {
  return useQuery({
    queryKey: memberKeys.tiers,
    queryFn: () => unwrap(api.GET('/api/v1/member-tiers')),
    select: (list) => list.data,
    enabled,
    staleTime: 60_000,
  });
}

export function usePointsRule() {
  return useQuery({ queryKey: memberKeys.pointsRule, queryFn: () => unwrap(api.GET('/api/v1/points-rules')) });
}

export function useGifts(enabled: boolean) {
  return useQuery({ queryKey: memberKeys.gifts, queryFn: () => unwrap(api.GET('/api/v1/member-gifts')), select: (l) => l.data, enabled });
}

/** The mutations that change one member refresh its 360 view and the lists. */
function useMemberMutation<V, R>(id: string, fn: (vars: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () =>
      Promise.all([queryClient.invalidateQueries({ queryKey: memberKeys.detail(id) }), queryClient.invalidateQueries({ queryKey: memberKeys.all })]),
  });
}

export function useCreateMember() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: CreateMemberInput; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/members', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: memberKeys.all }),
  });
}

export const useUpdateMember = (id: string) =>
  useMemberMutation(id, (body: UpdateMemberInput) => unwrap(api.PATCH('/api/v1/members/{id}', { params: { path: { id } }, body })));

export const useCardAction = (id: string) =>
  useMemberMutation(id, ({ action, cardNumber }: { action: CardAction; cardNumber?: string }) =>
    unwrap(
      api.POST('/api/v1/members/{id}/card/{action}', {
        params: { path: { id, action } },
        body: cardNumber ? { card_number: cardNumber } : {},
      }),
    ),
  );

/** useCashOutMember: 退卡 at HQ, one document (source_id) and Idempotency-Key per attempt. */
export const useCashOutMember = (id: string) =>
  useMemberMutation(id, ({ body, idempotencyKey }: { body: CashOutInput; idempotencyKey: string }) =>
    unwrap(api.POST('/api/v1/members/{id}/cash-out', { params: { path: { id }, header: { 'Idempotency-Key': idempotencyKey } }, body })),
  );

export const issueQrToken = (id: string) => unwrap(api.POST('/api/v1/members/{id}/qr-token', { params: { path: { id } } }));

export const useAdjustPoints = (id: string) =>
  useMemberMutation(id, ({ points, note, idempotencyKey }: { points: number; note: string; idempotencyKey: string }) =>
    unwrap(
      api.POST('/api/v1/members/{id}/points-adjustments', {
        params: { path: { id }, header: { 'Idempotency-Key': idempotencyKey } },
        body: { points, note },
      }),
    ),
  );

export const useRedeemGift = (id: string) =>
  useMemberMutation(id, ({ giftId, storeId, idempotencyKey }: { giftId: string; storeId: string | null; idempotencyKey: string }) =>
    unwrap(
      api.POST('/api/v1/members/{id}/gift-redemptions', {
        params: { path: { id }, header: { 'Idempotency-Key': idempotencyKey } },
        body: { gift_id: giftId, store_id: storeId },
      }),
    ),
  );

export const useReversePoints = (id: string) =>
  useMemberMutation(id, ({ entryId, note, idempotencyKey }: { entryId: string; note: string; idempotencyKey: string }) =>
    unwrap(
      api.POST('/api/v1/members/{id}/points-entries/{entry_id}/reverse', {
        params: { path: { id, entry_id: entryId }, header: { 'Idempotency-Key': idempotencyKey } },
        body: { note },
      }),
    ),
  );

export const useEraseMember = (id: string) =>
  useMemberMutation(id, () => unwrap(api.POST('/api/v1/members/{id}/erase', { params: { path: { id } } })));

export const useMergeMember = (id: string) =>
  useMemberMutation(id, ({ fromMemberId, idempotencyKey }: { fromMemberId: string; idempotencyKey: string }) =>
    unwrap(
      api.POST('/api/v1/members/{id}/merge', {
        params: { path: { id }, header: { 'Idempotency-Key': idempotencyKey } },
        body: { from_member_id: fromMemberId },
      }),
    ),
  );

/** downloadMemberExport saves everything held about one member (a JSON attachment, audited). */
export const downloadMemberExport = (id: string) =>
  saveDownload(api.GET('/api/v1/members/{id}/export', { params: { path: { id } }, parseAs: 'blob' }), `member-${id}.json`);

/** downloadMembers saves the members matching the list's filters as CSV or XLSX. */
export const downloadMembers = (format: 'csv' | 'xlsx', filters: Omit<ExportFilters, 'format'>) =>
  saveDownload(api.GET('/api/v1/members/export', { params: { query: { ...filters, format } }, parseAs: 'blob' }), `members.${format}`);

const importTypes: Record<string, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** importMembers sends the file as the body: a dry run (report only), or commit=true to create the members. */
export function useImportMembers() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, commit, acceptErrors }: { file: File; commit: boolean; acceptErrors: boolean }) => {
      const ext = file.name.split('.').pop()?.toLowerCase() ?? 'csv';
      return unwrap(
        api.POST('/api/v1/members/import', {
          params: { query: { commit, accept_errors: acceptErrors } },
          // The generated type calls a binary body a string; the file goes as it is.
          body: file as unknown as string,
          bodySerializer: (b) => b as unknown as BodyInit,
          headers: { 'Content-Type': importTypes[ext] ?? 'text/csv' },
        }),
      );
    },
    onSuccess: (report) => (report.committed ? queryClient.invalidateQueries({ queryKey: memberKeys.all }) : undefined),
  });
}

export function useCreateTier() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: MemberTierInput; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/member-tiers', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: memberKeys.tiers }),
  });
}

export function useUpdateTier() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: MemberTierUpdate }) =>
      unwrap(api.PATCH('/api/v1/member-tiers/{id}', { params: { path: { id } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: memberKeys.tiers }),
  });
}

export function useSetTierActive() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, active }: { id: string; active: boolean }) =>
      unwrap(api.POST('/api/v1/member-tiers/{id}/{action}', { params: { path: { id, action: active ? 'activate' : 'deactivate' } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: memberKeys.tiers }),
  });
}

export function usePutPointsRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PointsRuleInput) => unwrap(api.PUT('/api/v1/points-rules', { body })),
    onSuccess: (rule) => queryClient.setQueryData(memberKeys.pointsRule, rule),
  });
}

export function useCreateGift() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: MemberGiftInput; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/member-gifts', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: memberKeys.gifts }),
  });
}

export function useSetGiftActive() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, active }: { id: string; active: boolean }) =>
      unwrap(api.POST('/api/v1/member-gifts/{id}/{action}', { params: { path: { id, action: active ? 'activate' : 'deactivate' } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: memberKeys.gifts }),
  });
}

export function useTopupRules() {
  return useQuery({ queryKey: memberKeys.topupRules, queryFn: () => unwrap(api.GET('/api/v1/topup-rules')), select: (l) => l.data });
}

export function useCreateTopupRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: TopupRuleInput; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/topup-rules', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: memberKeys.topupRules }),
  });
}

export function useSetTopupRuleActive() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, active }: { id: string; active: boolean }) =>
      unwrap(api.POST('/api/v1/topup-rules/{id}/{action}', { params: { path: { id, action: active ? 'activate' : 'deactivate' } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: memberKeys.topupRules }),
  });
}
