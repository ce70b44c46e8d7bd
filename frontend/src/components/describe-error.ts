import type { TFunction } from 'i18next';
import { asApiError } from '../api/problem';

/**
 * describeError: the sentence to show for a failed call — the console's
 * text for the problem code when it has one (common:errors.<code>), else
 * the API's own title and detail.
 */
export function describeError(t: TFunction, error: unknown): string {
  const e = asApiError(error);
  const fallback = e.detail ? `${e.title}：${e.detail}` : e.title;
  return t(`common:errors.${e.code}`, { defaultValue: fallback });
}
