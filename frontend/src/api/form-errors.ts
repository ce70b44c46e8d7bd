import type { FormInstance } from 'antd';
import type { ApiError, FieldError } from './problem';

type NamePath = (string | number)[];

/** fieldPath turns the API's field name ("assignments[0].role") into an antd name path. */
export function fieldPath(field: string): NamePath {
  const path: NamePath = [];
  for (const part of field.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      path.push(part);
      continue;
    }
    if (m[1]) path.push(m[1]);
    for (const index of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) path.push(Number(index[1]));
  }
  return path;
}

const key = (p: NamePath) => JSON.stringify(p);

/**
 * applyFieldErrors shows the API's per-field errors under the form's own
 * fields and returns the errors no field of the form shows (to show above
 * the form). rename maps API field names to form names where they differ.
 */
export function applyFieldErrors(
  form: Pick<FormInstance, 'getFieldsError' | 'setFields'>,
  error: ApiError,
  rename: Record<string, NamePath> = {},
): FieldError[] {
  const registered = new Set(form.getFieldsError().map((f) => key(f.name as NamePath)));
  const byField = new Map<string, { name: NamePath; errors: string[] }>();
  const unmatched: FieldError[] = [];
  for (const e of error.errors) {
    const name = rename[e.field] ?? fieldPath(e.field);
    if (!registered.has(key(name))) {
      unmatched.push(e);
      continue;
    }
    const entry = byField.get(key(name)) ?? { name, errors: [] };
    entry.errors.push(e.message);
    byField.set(key(name), entry);
  }
  form.setFields([...byField.values()]);
  return unmatched;
}
