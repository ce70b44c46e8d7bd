import { api, unwrap } from '../../api/client';
import type { CashOutInput, CreateMemberInput, PosApproval, TopUpInput } from '../../api/types';

// The members module's calls the till's member services make; the look-ups
// they share with the sell screen come from queries.ts.
export { lookupMember } from './queries';

const at = (storeId: string) => ({ path: { store_id: storeId } });

// The members module's till calls (/stores/{id}/pos/members…). Each money
// call names its document by source_type/source_id, a UUIDv7 the till
// makes once per attempt (the same document again replays the first
// answer), and sends one Idempotency-Key per attempt as well.

/** registerMember: a member registered at the counter (channel "store", this store). */
export const registerMember = (storeId: string, body: CreateMemberInput, idempotencyKey: string) =>
  unwrap(api.POST('/api/v1/stores/{store_id}/pos/members', { params: { ...at(storeId), header: { 'Idempotency-Key': idempotencyKey } }, body }));

type MemberPath = { path: { store_id: string; id: string } };
const memberAt = (storeId: string, memberId: string): MemberPath => ({ path: { store_id: storeId, id: memberId } });

/** topUpMember: 充值 — principal taken by payment_method, plus the bonus of the top-up rule that applies. */
export const topUpMember = (storeId: string, memberId: string, body: TopUpInput, idempotencyKey: string) =>
  unwrap(
    api.POST('/api/v1/stores/{store_id}/pos/members/{id}/topup', {
      params: { ...memberAt(storeId, memberId), header: { 'Idempotency-Key': idempotencyKey } },
      body,
    }),
  );

/** asManager: the header that sends a call as the approving manager (see managerSession). */
const asManager = (approval?: PosApproval) => (approval?.token ? { Authorization: `Bearer ${approval.token}` } : {});

/** cashOutMember: 退卡 — the principal paid back by payment_method, the bonus forfeited (pos:refund). */
export const cashOutMember = (storeId: string, memberId: string, body: CashOutInput, idempotencyKey: string, approval?: PosApproval) =>
  unwrap(
    api.POST('/api/v1/stores/{store_id}/pos/members/{id}/cash-out', {
      params: { ...memberAt(storeId, memberId), header: { 'Idempotency-Key': idempotencyKey } },
      headers: asManager(approval),
      body,
    }),
  );
