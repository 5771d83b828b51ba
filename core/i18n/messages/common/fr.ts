import type { Messages } from '../../translator';
import type { en } from './en';

export const fr: Messages<typeof en> = {
  'language.label': 'Langue de l’interface',
  'language.changed': 'L’interface est désormais en {language}.',
  'count.words': '{count, plural, one {# mot} many {# de mots} other {# mots}}',
};
