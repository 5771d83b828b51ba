import type { Messages } from '../../translator';
import type { en } from './en';

export const es: Messages<typeof en> = {
  'language.label': 'Idioma de la interfaz',
  'language.changed': 'La interfaz está ahora en {language}.',
  'count.words': '{count, plural, one {# palabra} many {# de palabras} other {# palabras}}',
};
