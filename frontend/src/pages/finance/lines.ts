import type { FinManualLine } from '../../api/types';
import { fenForApi, MoneyParseError, parseYuan, type MoneyParseReason } from '../../lib/money';

// The manual-entry lines editor's arithmetic: amounts are typed in yuan and
// parsed exactly to fen (src/lib/money.ts, BigInt — no float), each line
// has one side, and the entry goes to the API only when its debits equal
// its credits.

export interface LineDraft {
  account_code?: string;
  store_id?: string | null;
  debit?: string;
  credit?: string;
  cash_flow?: FinManualLine['cash_flow'];
  memo?: string;
}

/** Why one amount was refused: money.ts's reasons, or a negative amount. */
export type AmountProblem = MoneyParseReason | 'negative';

/** parseAmount: an empty side is zero; anything else is exact fen, never negative. */
export function parseAmount(text: string | undefined): { fen: bigint; problem?: AmountProblem } {
  if (!text || text.trim() === '') return { fen: 0n };
  try {
    const fen = parseYuan(text);
    return fen < 0n ? { fen: 0n, problem: 'negative' } : { fen };
  } catch (e) {
    if (e instanceof MoneyParseError) return { fen: 0n, problem: e.reason };
    throw e;
  }
}

export interface LineCheck {
  debit: bigint;
  credit: bigint;
  debitProblem?: AmountProblem;
  creditProblem?: AmountProblem;
  /** both: debit and credit on one line; none: neither. */
  sideProblem?: 'both' | 'none';
}

export function checkLine(line: LineDraft): LineCheck {
  const d = parseAmount(line.debit);
  const c = parseAmount(line.credit);
  const out: LineCheck = { debit: d.fen, credit: c.fen, debitProblem: d.problem, creditProblem: c.problem };
  if (!d.problem && !c.problem) {
    if (d.fen > 0n && c.fen > 0n) out.sideProblem = 'both';
    else if (d.fen === 0n && c.fen === 0n) out.sideProblem = 'none';
  }
  return out;
}

export interface EntryTotals {
  debit: bigint;
  credit: bigint;
  /** debit − credit */
  difference: bigint;
  /** every line is valid, with an account and one side */
  linesValid: boolean;
  /** linesValid, at least two lines, totals equal and above zero: the API would take it */
  balanced: boolean;
}

export function totals(lines: LineDraft[]): EntryTotals {
  let debit = 0n;
  let credit = 0n;
  let linesValid = lines.length > 0;
  for (const line of lines) {
    const c = checkLine(line);
    debit += c.debit;
    credit += c.credit;
    if (c.debitProblem || c.creditProblem || c.sideProblem || !line.account_code) linesValid = false;
  }
  const difference = debit - credit;
  return { debit, credit, difference, linesValid, balanced: linesValid && lines.length >= 2 && difference === 0n && debit > 0n };
}

/** toApiLines: the lines as the API takes them (fen as JSON numbers); throws when the entry is not balanced. */
export function toApiLines(lines: LineDraft[]): FinManualLine[] {
  if (!totals(lines).balanced) throw new Error('finance: the entry is not balanced');
  return lines.map((line) => {
    const c = checkLine(line);
    return {
      account_code: line.account_code ?? '',
      store_id: line.store_id ?? null,
      debit: fenForApi(c.debit),
      credit: fenForApi(c.credit),
      cash_flow: line.cash_flow ?? '',
      memo: line.memo?.trim() ?? '',
    };
  });
}
