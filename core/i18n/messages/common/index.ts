import type { Locale } from '../../locales';
import { ar } from './ar';
import { en } from './en';
import { es } from './es';
import { fr } from './fr';
import { ru } from './ru';
import { zh } from './zh';

export type CommonKey = keyof typeof en;
export const commonMessages: Readonly<Record<Locale, Readonly<Record<CommonKey, string>>>> = { ar, zh, en, fr, ru, es };
