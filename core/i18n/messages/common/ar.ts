import type { Messages } from '../../translator';
import type { en } from './en';

export const ar: Messages<typeof en> = {
  'language.label': 'لغة الواجهة',
  'language.changed': 'أصبحت الواجهة الآن باللغة {language}.',
  'count.words': '{count, plural, zero {لا كلمات} one {كلمة واحدة} two {كلمتان} few {# كلمات} many {# كلمة} other {# كلمة}}',
};
