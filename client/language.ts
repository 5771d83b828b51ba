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

let adoptedFor: string | null = null;

/**
 * Once per signed-in account in this tab: the account's language wins over
 * this device's; a choice made on this device before signing in is saved to
 * the account. Later choices in the switcher are the person's own.
 */
export async function adoptAccountLanguage(user: User | null): Promise<void> {
  if (!user || adoptedFor === user.id) return;
  adoptedFor = user.id;
  if (isLocale(user.language)) {
    if (user.language !== locale()) await setLocale(user.language, { silent: true });
    return;
  }
  const chosen = rememberedLocale();
  if (chosen) void saveToAccount(chosen);
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
    if (user) void saveToAccount(next);
    setLocale(next).catch((error: unknown) => notify(t('language.notLoaded', { reason: error instanceof Error ? error.message : String(error) }), 'error'));
  });
  return h('div', { class: 'language-switcher' }, select);
}

export function focusLanguageSwitcher(): void {
  document.getElementById(LANGUAGE_SELECT_ID)?.focus();
}
