import { App, type FormInstance } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors } from '../api/form-errors';
import { asApiError } from '../api/problem';
import { describeError } from './describe-error';

/**
 * useShowError returns the one way pages report a failed mutation: field
 * errors go under their fields of `form` (when given), a problem code that
 * is about one field (`signup.slug_taken` → slug) goes under that field
 * (`codeFields`), and the rest into a message.
 */
export function useShowError(): (error: unknown, form?: FormInstance, codeFields?: Record<string, string>) => void {
  const { message } = App.useApp();
  const { t } = useTranslation();
  return useCallback(
    (error: unknown, form?: FormInstance, codeFields: Record<string, string> = {}) => {
      const e = asApiError(error);
      const field = codeFields[e.code];
      if (form && field) {
        form.setFields([{ name: field, errors: [describeError(t, e)] }]);
        return;
      }
      const rest = form ? applyFieldErrors(form, e) : e.errors;
      const extra = rest.map((f) => `${f.field} ${f.message}`).join('；');
      void message.error(extra ? `${describeError(t, e)}（${extra}）` : describeError(t, e));
    },
    [message, t],
  );
}
