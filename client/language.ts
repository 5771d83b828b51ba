// The language switcher (a labelled <select>, each language named in itself)
// and the account's stored choice: adopted on sign-in, saved when changed.
// Before sign-in the choice is remembered on this device only.
import { LOCALES, LOCALE_NAMES, isLocale, localeDirection, type Locale } from '../core/i18n/locales';
import { api, ApiError, type User } from './api';
import { h } from './dom';
import { locale, rememberedLocale, setLocale, t } from './i18n';
import { notify } from './notice';
import { rememberUser } from './session';

export const LANGUAGE_SELECT_ID = 'language-select';

/** The account's language wins over this device's; a choice made before signing in is saved to the account. */
export function adoptAccountLanguage(user: User | null): void {
  if (!user) return;
  if (isLocale(user.language)) {
    if (user.language !== locale()) setLocale(user.language, { silent: true });
    return;
  }
  const chosen = rememberedLocale();
  if (chosen) {
    user.language = chosen;
    void saveToAccount(chosen);
  }
}

async function saveToAccount(language: Locale): Promise<void> {
  try {
    rememberUser(await api.setLanguage(language));
  } catch (error) {
    // The configured admin token's account has no stored profile: its choice stays on this device.
    if (error instanceof ApiError && error.status === 404) return;
    notify(t('language.notSaved', { reason: error instanceof Error ? error.message : String(error) }), 'error');
  }
}

export function languageSwitcher(user: User | null): HTMLElement {
  const select = h(
    'select',
    { id: LANGUAGE_SELECT_ID, class: 'language-select', 'aria-label': t('language.label') },
    ...LOCALES.map((code) => {
      const option = h('option', { value: code, lang: code, dir: localeDirection(code) }, LOCALE_NAMES[code]);
      option.selected = code === locale();
      return option;
    }),
  );
  select.addEventListener('change', () => {
    const next = select.value;
    if (!isLocale(next)) return;
    if (user) {
      // The cached account (client/session.ts) must agree before the page re-renders from it.
      user.language = next;
      void saveToAccount(next);
    }
    setLocale(next);
  });
  return h('div', { class: 'language-switcher' }, select);
}

export function focusLanguageSwitcher(): void {
  document.getElementById(LANGUAGE_SELECT_ID)?.focus();
}
