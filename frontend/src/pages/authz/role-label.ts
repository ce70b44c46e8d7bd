import type { TFunction } from 'i18next';

/** roleLabel: a built-in role's name in the console's language, a custom role's own name. */
export function roleLabel(t: TFunction, role: { key: string; name: string; builtin?: boolean }): string {
  return role.builtin === false ? role.name : t(`authz:builtin.${role.key}`, { defaultValue: role.name });
}
