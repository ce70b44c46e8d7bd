import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { ApiError, asApiError } from '../../api/problem';
import { registerHeader } from '../../api/register-token';
import type {
  PosApproval,
  PosCartInput,
  PosCloseShiftInput,
  PosOfflineBatchInput,
  PosPaymentInput,
  PosReceipt,
  PosRegisterInput,
  PosReturnInput,
  PosSaleInput,
  PosTill,
} from '../../api/types';

// Server state of the till (POS): the register this browser proves, its
// shift, look-ups, pricing, sales, payments, returns and offline uploads.
// Every call made at the till sends the register's credential through
// registerHeader(); pricing, look-ups and reads need only the user.

type Path = { path: { store_id: string } };
const at = (storeId: string): Path => ({ path: { store_id: storeId } });

export const tillKeys = {
  till: (storeId: string) => ['till', storeId] as const,
  stores: ['till', 'stores'] as const,
};

// The till remembers its register and shift, so that a reload while the
// API cannot be reached still sells (offline registers only).
const tillCacheKey = (storeId: string) => `chainstore.till.${storeId}`;

export function cachedTill(storeId: string): PosTill | null {
  try {
    const raw = localStorage.getItem(tillCacheKey(storeId));
    return raw ? (JSON.parse(raw) as PosTill) : null;
  } catch {
    return null;
  }
}

export function rememberTill(storeId: string, till: PosTill | null): void {
  if (till) localStorage.setItem(tillCacheKey(storeId), JSON.stringify(till));
  else localStorage.removeItem(tillCacheKey(storeId));
}

/**
 * isUnreachable: the call failed because the API could not be reached (a
 * network error, or a gateway's 502/503/504 without the API's own code),
 * as opposed to the API refusing it — the till then sells offline.
 */
export function isUnreachable(error: unknown): boolean {
  const e = asApiError(error);
  if (e.status === 0) return e.code === 'network.unreachable';
  return (e.status === 502 || e.status === 503 || e.status === 504) && !e.code.startsWith('pos.');
}

export const fetchTill = async (storeId: string) => {
  const till = await unwrap(api.GET('/api/v1/stores/{store_id}/pos/till', { params: { ...at(storeId), header: registerHeader(storeId) } }));
  rememberTill(storeId, till);
  return till;
};

export function useTill(storeId: string, enabled: boolean) {
  return useQuery({ queryKey: tillKeys.till(storeId), queryFn: () => fetchTill(storeId), enabled, retry: false });
}

/** useTillStores: the stores the user may sell in, for the picker of a user with more than one. */
export function useTillStores(enabled: boolean) {
  return useQuery({
    queryKey: tillKeys.stores,
    queryFn: () => unwrap(api.GET('/api/v1/stores', { params: { query: { limit: 200, status: 'active' } } })),
    select: (page) => page.data,
    enabled,
    staleTime: 60_000,
  });
}

export const createRegister = (storeId: string, body: PosRegisterInput, idempotencyKey: string) =>
  unwrap(api.POST('/api/v1/stores/{store_id}/pos/registers', { params: { ...at(storeId), header: { 'Idempotency-Key': idempotencyKey } }, body }));

export const openShift = (storeId: string, openingFloat: number, idempotencyKey: string) =>
  unwrap(
    api.POST('/api/v1/stores/{store_id}/pos/shifts', {
      params: { ...at(storeId), header: { ...registerHeader(storeId), 'Idempotency-Key': idempotencyKey } },
      body: { opening_float: openingFloat },
    }),
  );

export const closeShift = (storeId: string, body: PosCloseShiftInput, idempotencyKey: string) =>
  unwrap(
    api.POST('/api/v1/stores/{store_id}/pos/shifts/current/close', {
      params: { ...at(storeId), header: { ...registerHeader(storeId), 'Idempotency-Key': idempotencyKey } },
      body,
    }),
  );

/** lookup: a scanned barcode (scale labels too) or a typed SKU/product code. */
export const lookup = (storeId: string, scanned: string) => {
  const query = /^\d{8,14}$/.test(scanned) || /^2\d{12}$/.test(scanned) ? { barcode: scanned } : { code: scanned };
  return unwrap(api.GET('/api/v1/stores/{store_id}/pos/lookup', { params: { ...at(storeId), query } }));
};

export const priceCart = (storeId: string, body: PosCartInput) => unwrap(api.POST('/api/v1/stores/{store_id}/pos/carts/price', { params: at(storeId), body }));

export const lookupMember = (storeId: string, query: { phone?: string; card?: string; qr?: string }) =>
  unwrap(api.GET('/api/v1/stores/{store_id}/pos/members/lookup', { params: { ...at(storeId), query } }));

export const createSale = (storeId: string, body: PosSaleInput, idempotencyKey: string) =>
  unwrap(
    api.POST('/api/v1/stores/{store_id}/pos/sales', {
      params: { ...at(storeId), header: { ...registerHeader(storeId), 'Idempotency-Key': idempotencyKey } },
      body,
    }),
  );

/** fetchReceipt: the sale and its 80 mm text (format=json; the answer is typed as json or text). */
export async function fetchReceipt(storeId: string, saleId: string): Promise<PosReceipt> {
  const answer = await unwrap(api.GET('/api/v1/stores/{store_id}/pos/sales/{id}/receipt', { params: { path: { store_id: storeId, id: saleId }, query: { format: 'json' } } }));
  if (typeof answer === 'string') throw new ApiError({ status: 0, code: 'console.internal', title: 'The receipt came as text' });
  return answer;
}

export const createPayment = (storeId: string, body: PosPaymentInput) =>
  unwrap(api.POST('/api/v1/stores/{store_id}/pos/payments', { params: { ...at(storeId), header: registerHeader(storeId) }, body }));

export const fetchPayment = (storeId: string, id: string) =>
  unwrap(api.GET('/api/v1/stores/{store_id}/pos/payments/{id}', { params: { path: { store_id: storeId, id } } }));

export const cancelPayment = (storeId: string, id: string) =>
  unwrap(api.POST('/api/v1/stores/{store_id}/pos/payments/{id}/cancel', { params: { path: { store_id: storeId, id }, header: registerHeader(storeId) } }));

/** payUntilSettled charges an external tender and asks again while it is pending (at most ~90 s, as the API does). */
export async function payUntilSettled(storeId: string, body: PosPaymentInput, wait = (ms: number) => new Promise((r) => setTimeout(r, ms))) {
  let payment = await createPayment(storeId, body);
  for (let i = 0; payment.status === 'pending' && i < 45; i += 1) {
    await wait(2000);
    payment = await fetchPayment(storeId, body.id);
  }
  if (payment.status !== 'approved') {
    throw new ApiError({ status: 402, code: 'pos.payment_declined', title: 'The payment was declined', detail: payment.decline_message || payment.decline_code });
  }
  return payment;
}

export const saleByReceipt = (storeId: string, receiptNo: string) =>
  unwrap(api.GET('/api/v1/stores/{store_id}/pos/receipts/{receipt_no}', { params: { path: { store_id: storeId, receipt_no: receiptNo } } }));

export const createReturn = (storeId: string, body: PosReturnInput, idempotencyKey: string) =>
  unwrap(
    api.POST('/api/v1/stores/{store_id}/pos/returns', {
      params: { ...at(storeId), header: { ...registerHeader(storeId), 'Idempotency-Key': idempotencyKey } },
      body,
    }),
  );

export const voidSale = (storeId: string, saleId: string, reason: string, idempotencyKey: string, approval?: PosApproval) =>
  unwrap(
    api.POST('/api/v1/stores/{store_id}/pos/sales/{id}/void', {
      params: { path: { store_id: storeId, id: saleId }, header: { ...registerHeader(storeId), 'Idempotency-Key': idempotencyKey } },
      body: { reason, approval },
    }),
  );

/** uploadBatch: the offline sales; the batch id is also the Idempotency-Key, so a retry is the same request. */
export const uploadBatch = (storeId: string, batch: PosOfflineBatchInput) =>
  unwrap(
    api.POST('/api/v1/stores/{store_id}/pos/offline-batches', {
      params: { ...at(storeId), header: { ...registerHeader(storeId), 'Idempotency-Key': batch.id } },
      body: batch,
    }),
  );

/** signInApprover signs a manager in on the till for one approval and answers their access token. */
export async function signInApprover(tenant: string, login: string, password: string): Promise<string> {
  const pair = await unwrap(api.POST('/api/v1/auth/login', { body: { tenant, login, password } }));
  return pair.access_token;
}

/**
 * endApproverSession ends the manager's till session after the approval.
 * It bypasses the console's client on purpose: that client would send the
 * cashier's token and sign the cashier out. Best effort — the session also
 * expires on its own.
 */
export async function endApproverSession(token: string): Promise<void> {
  try {
    await globalThis.fetch('/api/v1/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  } catch {
    // the token expires in minutes anyway
  }
}

