import type { PosTenderInput, PosTenderMethod } from '../../api/types';
import { fenForApi } from '../../lib/money';

// Splitting what a cart costs over the customer's tenders, in integer fen
// (BigInt): cash may hand over more than it pays (the change), stored
// value and external payments pay an exact amount, and the tenders
// together pay `payable` exactly, as POST /sales wants.

export interface Tender {
  method: PosTenderMethod;
  /** What this tender pays of the sale (fen). */
  amount: bigint;
  /** Cash handed over (≥ amount); equal to amount for other tenders. */
  tendered: bigint;
  paymentId?: string;
}

export type TenderRefusal = 'not_positive' | 'nothing_due' | 'exceeds_due' | 'exceeds_balance' | 'no_member';

export class TenderError extends Error {
  constructor(readonly reason: TenderRefusal) {
    super(`tender: ${reason}`);
    this.name = 'TenderError';
  }
}

export const paid = (tenders: Tender[]): bigint => tenders.reduce((sum, t) => sum + t.amount, 0n);

/** remaining: what is still to pay (never below zero). */
export function remaining(payable: bigint, tenders: Tender[]): bigint {
  const left = payable - paid(tenders);
  return left > 0n ? left : 0n;
}

/** changeDue: the change to hand back, the cash handed over beyond what it pays. */
export const changeDue = (tenders: Tender[]): bigint => tenders.reduce((sum, t) => sum + (t.tendered - t.amount), 0n);

/**
 * addCash: the customer hands over `handed` in cash. It pays what is left
 * (the rest is change) or, when less, part of it (cash + cash, or cash
 * then another tender).
 */
export function addCash(payable: bigint, tenders: Tender[], handed: bigint): Tender[] {
  if (handed <= 0n) throw new TenderError('not_positive');
  const due = remaining(payable, tenders);
  if (due === 0n) throw new TenderError('nothing_due');
  const amount = handed < due ? handed : due;
  return [...tenders, { method: 'cash', amount, tendered: handed }];
}

/** addExact: a tender that pays exactly `amount` (stored value, card, WeChat Pay, Alipay …), never more than is due. */
export function addExact(payable: bigint, tenders: Tender[], method: PosTenderMethod, amount: bigint, paymentId?: string): Tender[] {
  if (amount <= 0n) throw new TenderError('not_positive');
  const due = remaining(payable, tenders);
  if (due === 0n) throw new TenderError('nothing_due');
  if (amount > due) throw new TenderError('exceeds_due');
  return [...tenders, { method, amount, tendered: amount, ...(paymentId ? { paymentId } : {}) }];
}

/** addStoredValue: from the member's balance, at most what is due and what the card holds. */
export function addStoredValue(payable: bigint, tenders: Tender[], amount: bigint, member: { stored_value: number; can_spend: boolean } | null): Tender[] {
  if (!member || !member.can_spend) throw new TenderError('no_member');
  const used = tenders.filter((t) => t.method === 'stored_value').reduce((s, t) => s + t.amount, 0n);
  if (amount + used > BigInt(member.stored_value)) throw new TenderError('exceeds_balance');
  return addExact(payable, tenders, 'stored_value', amount);
}

/** suggestedStoredValue: what stored value would pay by default, the due amount or the whole balance if less. */
export function suggestedStoredValue(payable: bigint, tenders: Tender[], balance: number): bigint {
  const due = remaining(payable, tenders);
  const used = tenders.filter((t) => t.method === 'stored_value').reduce((s, t) => s + t.amount, 0n);
  const left = BigInt(balance) - used;
  if (left <= 0n) return 0n;
  return left < due ? left : due;
}

/** complete: the tenders pay the sale exactly. */
export const complete = (payable: bigint, tenders: Tender[]): boolean => tenders.length > 0 && paid(tenders) === payable;

/** forApi: the tenders as POST /sales takes them (cash's `tendered` only when it differs). */
export function forApi(tenders: Tender[]): PosTenderInput[] {
  return tenders.map((t) => ({
    method: t.method,
    amount: fenForApi(t.amount),
    ...(t.method === 'cash' && t.tendered !== t.amount ? { tendered: fenForApi(t.tendered) } : {}),
    ...(t.paymentId ? { payment_id: t.paymentId } : {}),
  }));
}
