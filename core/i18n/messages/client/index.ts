// The web client's catalogue area: the interface of client/ (and of the
// offline verifier page) in the six UN languages.
import type { Locale } from '../../locales';
import { ar } from './ar';
import { en } from './en';
import { es } from './es';
import { fr } from './fr';
import { ru } from './ru';
import { zh } from './zh';

export type ClientKey = keyof typeof en;
export const clientMessages: Readonly<Record<Locale, Readonly<Record<ClientKey, string>>>> = { ar, zh, en, fr, ru, es };
