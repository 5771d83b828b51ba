// Texts shared by every surface (the web client, pages the server renders, mail).
export const en = {
  'language.label': 'Interface language',
  'language.changed': 'The interface is now in {language}.',
  'count.words': '{count, plural, one {# word} other {# words}}',
} as const;
