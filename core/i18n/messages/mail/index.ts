// The server's mail texts (amendment decisions, endorsement confirmations) in the six UN languages.
import type { Locale } from '../../locales';
import { translatorCache } from '../../translator';
import { ar } from './ar';
import { en } from './en';
import { es } from './es';
import { fr } from './fr';
import { ru } from './ru';
import { zh } from './zh';

export type MailKey = keyof typeof en;
export const mailMessages: Readonly<Record<Locale, Readonly<Record<MailKey, string>>>> = { ar, zh, en, fr, ru, es };

export const mailText = translatorCache(mailMessages);
