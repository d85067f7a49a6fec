import { createI18n } from 'vue-i18n';
import { en } from './en';
import { zhCN } from './zh-cn';

export const LOCALES = [
  { code: 'en', label: 'English' },
  { code: 'zh-CN', label: '简体中文' },
] as const;
export type LocaleCode = (typeof LOCALES)[number]['code'];

const STORAGE_KEY = 'countdeck.locale';

/** The saved choice, else the system's language when it is Chinese, else English. */
export function initialLocale(saved: string | null, systemLanguage: string): LocaleCode {
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return systemLanguage.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** Creates the app's i18n instance (Composition API mode). */
export function createAppI18n(locale: LocaleCode = initialLocale(localStorage.getItem(STORAGE_KEY), navigator.language)) {
  return createI18n({ legacy: false, locale, fallbackLocale: 'en', messages: { en, 'zh-CN': zhCN } });
}

/** Tells the page (fonts, screen readers) which language it is in. */
export function applyLocale(locale: LocaleCode): void {
  document.documentElement.lang = locale;
}

/** Switches language and remembers the choice for the next start. */
export function saveLocale(locale: LocaleCode): void {
  localStorage.setItem(STORAGE_KEY, locale);
  applyLocale(locale);
}
