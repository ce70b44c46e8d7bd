import { describe, expect, it } from 'vitest';
import { resources } from '.';

type Messages = { [key: string]: string | Messages };

function keys(messages: Messages, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`)));
}

describe('locale files', () => {
  const zh = resources['zh-CN'] ?? {};
  const en = resources.en ?? {};

  it('are found for the shell and every module', () => {
    expect(Object.keys(zh).sort()).toEqual(['audit', 'auth', 'authz', 'billing', 'catalog', 'common', 'dashboard', 'finance', 'inventory', 'members', 'org', 'pos', 'promotions', 'till', 'users']);
  });

  it.each(Object.keys(zh))('%s: English has exactly the Chinese ids', (namespace) => {
    expect(keys(en[namespace] ?? {}).sort()).toEqual(keys(zh[namespace] ?? {}).sort());
  });
});
