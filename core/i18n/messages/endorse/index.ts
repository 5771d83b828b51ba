// The public endorsement page and its confirmation mail, in the six UN languages.
import type { Locale } from '../../locales';
import { translatorCache } from '../../translator';
import { ar } from './ar';
import { en } from './en';
import { es } from './es';
import { fr } from './fr';
import { ru } from './ru';
import { zh } from './zh';

export type EndorseKey = keyof typeof en;
export const endorseMessages: Readonly<Record<Locale, Readonly<Record<EndorseKey, string>>>> = { ar, zh, en, fr, ru, es };

/** The `endorse` catalogue in `locale`, made once per locale and kept. */
export const endorseText = translatorCache(endorseMessages);
