import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setTimeLocale } from '../lib/time';

// Every visible string is an i18n id. Each back-end module's pages keep
// their strings in src/pages/<module>/locales/{zh-CN,en}.ts, under the
// namespace <module> (t('org:stores.title')); the shell's are in
// src/app/locales under `common`. A new locale file is picked up here by
// its path; nothing to register.

export const languages = ['zh-CN', 'en'] as const;
export type Language = (typeof languages)[number];

const LANGUAGE_KEY = 'chainstore.language';

type Messages = { [key: string]: string | Messages };

const files = import.meta.glob<Messages>(['../app/locales/*.ts', '../pages/*/locales/*.ts'], {
  eager: true,
  import: 'default',
});

/** resources: { 'zh-CN': { common: {...}, org: {...} }, en: {...} } from the files above. */
export function collectResources(found: Record<string, Messages>): Record<string, Record<string, Messages>> {
  const out: Record<string, Record<string, Messages>> = {};
  for (const [path, messages] of Object.entries(found)) {
    const m = /(?:app|pages\/([^/]+))\/locales\/([^/]+)\.ts$/.exec(path);
    if (!m) continue;
    const namespace = m[1] ?? 'common';
    const language = m[2] as string;
    out[language] = { ...out[language], [namespace]: messages };
  }
  return out;
}

export const resources = collectResources(files);

function initialLanguage(): Language {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(LANGUAGE_KEY) : null;
  return languages.find((l) => l === saved) ?? 'zh-CN';
}

void i18n.use(initReactI18next).init({
  resources,
  lng: initialLanguage(),
  fallbackLng: 'zh-CN',
  defaultNS: 'common',
  ns: Object.keys(resources['zh-CN'] ?? {}),
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
  showSupportNotice: false,
});
setTimeLocale(i18n.language);

export function changeLanguage(language: Language): void {
  localStorage.setItem(LANGUAGE_KEY, language);
  setTimeLocale(language);
  void i18n.changeLanguage(language);
  document.documentElement.lang = language;
}

export default i18n;
