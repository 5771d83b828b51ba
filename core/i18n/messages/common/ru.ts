import type { Messages } from '../../translator';
import type { en } from './en';

export const ru: Messages<typeof en> = {
  'language.label': 'Язык интерфейса',
  'language.changed': 'Язык интерфейса: {language}.',
  'count.words': '{count, plural, one {# слово} few {# слова} many {# слов} other {# слова}}',
};
