// The interface language of this tab: one translator over the client
// catalogue (core/i18n/messages/client), chosen from the account's stored
// choice, this browser's remembered choice, or the browser's languages.
// Only that language's catalogue is fetched (each is a chunk of its own), so
// the first download carries one language, not six; `interfaceReady` settles
// once it is there, and nothing may translate before.
// Switching tells listeners (the page re-renders its chrome); it never touches
// the document, whose own language and direction stay on the editor.
import { createTranslator, type MessageValues, type Translator } from '../core/i18n/translator';
import { isLocale, negotiateLocale, type Locale } from '../core/i18n/locales';
import type { ClientKey } from '../core/i18n/messages/client';

export type { ClientKey, Locale };

type Catalogue = Readonly<Record<ClientKey, string>>;

/** One chunk per language, fetched when that language is first needed. */
const CATALOGUES: Readonly<Record<Locale, () => Promise<Catalogue>>> = {
  ar: () => import('../core/i18n/messages/client/ar').then((m) => m.ar),
  zh: () => import('../core/i18n/messages/client/zh').then((m) => m.zh),
  en: () => import('../core/i18n/messages/client/en').then((m) => m.en),
  fr: () => import('../core/i18n/messages/client/fr').then((m) => m.fr),
  ru: () => import('../core/i18n/messages/client/ru').then((m) => m.ru),
  es: () => import('../core/i18n/messages/client/es').then((m) => m.es),
};

const STORAGE_KEY = 'accord.locale';

/** The locale this browser chose explicitly (the switcher before signing in), if any. */
export function rememberedLocale(): Locale | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : null;
  } catch {
    return null;
  }
}

function browserLocale(): Locale {
  const languages = typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language];
  return negotiateLocale(languages.filter(Boolean));
}

const listeners = new Set<(locale: Locale) => void>();
let loaded: Translator<ClientKey> | null = null;
let switches = 0;

function translator(): Translator<ClientKey> {
  if (!loaded) throw new Error('the interface language is not loaded yet: wait for interfaceReady');
  return loaded;
}

/** Each language's translator, made once (its catalogue fetched once, its compiled formats kept) however often it is chosen. */
const made = new Map<Locale, Promise<Translator<ClientKey>>>();

function translatorFor(locale: Locale): Promise<Translator<ClientKey>> {
  let translator = made.get(locale);
  if (!translator) {
    translator = CATALOGUES[locale]().then((catalogue) => createTranslator(locale, catalogue));
    // A catalogue that failed to arrive is fetched again the next time.
    translator.catch(() => made.delete(locale));
    made.set(locale, translator);
  }
  return translator;
}

function applyToPage(): void {
  if (typeof document === 'undefined') return;
  const root = document.documentElement;
  const current = translator();
  root.lang = current.locale;
  root.dir = current.dir;
  // Words the stylesheet has screen readers say (amendments.css), as CSS strings.
  root.style.setProperty('--said-deletion', JSON.stringify(current.t('inline.saidDeletion')));
  root.style.setProperty('--said-insertion', JSON.stringify(current.t('inline.saidInsertion')));
}

/** Settles once the first interface language is loaded and applied to the page. */
export const interfaceReady: Promise<void> = translatorFor(rememberedLocale() ?? browserLocale()).then((first) => {
  loaded = first;
  applyToPage();
});

export const locale = (): Locale => translator().locale;
export const direction = (): 'ltr' | 'rtl' => translator().dir;

/** A message of the interface, in the current language. */
export function t(key: ClientKey, values?: MessageValues): string {
  return translator().t(key, values);
}

/**
 * Switches the interface language once its catalogue is here: <html lang
 * dir>, the remembered choice on this device, then every listener (unless
 * `silent`: the page is about to render anyway). No reload, no reconnect.
 */
export async function setLocale(next: Locale, { silent = false }: { silent?: boolean } = {}): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Storage refused: the choice lasts for this tab (and the account, when signed in).
  }
  const mine = ++switches;
  await interfaceReady;
  const chosen = next === translator().locale ? null : await translatorFor(next);
  // Two quick choices: the later one wins, whichever catalogue arrives first.
  if (!chosen || mine !== switches) return;
  loaded = chosen;
  applyToPage();
  if (!silent) for (const listener of [...listeners]) listener(next);
}

export function onLocaleChange(listener: (locale: Locale) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A date and time ("30 Nov 2026, 09:14" in the current language); an unreadable value is shown as it is. */
export function formatDate(value: string | number | Date, options?: Intl.DateTimeFormatOptions): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : translator().date(date, options);
}

export const formatNumber = (value: number): string => translator().number(value);

/** "Privacy", "Privacy and Security", "Privacy, Transparency and Security", in the current language. */
export const listInWords = (items: readonly string[]): string => translator().list(items);

const GROUP_KEYS: Readonly<Record<string, ClientKey>> = {
  government: 'group.government',
  'private-sector': 'group.private-sector',
  'civil-society': 'group.civil-society',
  'technical-community': 'group.technical-community',
  academia: 'group.academia',
  intergovernmental: 'group.intergovernmental',
};

/** A stakeholder group's name; an unknown value (from a peer) is shown as it is. */
export function stakeholderGroupLabel(group: string | null | undefined): string {
  if (!group) return '';
  const key = GROUP_KEYS[group];
  return key ? t(key) : group;
}

const ROLE_KEYS: Readonly<Record<string, ClientKey>> = {
  admin: 'role.admin',
  chair: 'role.chair',
  editor: 'role.editor',
  stakeholder: 'role.stakeholder',
  observer: 'role.observer',
};

export function roleLabel(role: string): string {
  const key = ROLE_KEYS[role];
  return key ? t(key) : role;
}
