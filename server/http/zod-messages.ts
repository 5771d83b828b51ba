// A zod issue as a message of the `errors` catalogue, its field path kept:
// "email: not a valid e-mail address". The common kinds (missing, mistyped, too
// short or long, not one of a set, bad format) have their own messages; a
// schema's own message is translated when it is a catalogue text (its English,
// or `params.i18n` naming the key, with the other params as values).
import type { ZodError } from 'zod';
import { en } from '../../core/i18n/messages/errors/en';
import { errorText, type ErrorKey, type ErrorText, type ErrorValue } from '../../core/i18n/messages/errors';

type Issue = ZodError['issues'][number];

const byEnglish = new Map<string, ErrorKey>((Object.entries(en) as [ErrorKey, string][]).filter(([, text]) => !text.includes('{')).map(([key, text]) => [text, key]));

const isKey = (value: unknown): value is ErrorKey => typeof value === 'string' && value in en;
const quoted = (values: readonly unknown[]): { anyOf: string[] } => ({ anyOf: values.map((v) => (typeof v === 'string' ? `"${v}"` : String(v))) });

function problem(issue: Issue): ErrorText {
  const own = ownMessage(issue);
  if (own) return own;
  switch (issue.code) {
    case 'invalid_type':
      // zod reports no input by default; its own message says when nothing was given.
      return /received undefined$/.test(issue.message) ? errorText('validation.required') : errorText('validation.expected', { expected: issue.expected });
    case 'too_small': {
      const minimum = Number(issue.minimum);
      if (issue.origin === 'string') return errorText('validation.tooShortText', { minimum });
      if (issue.origin === 'array' || issue.origin === 'set') return errorText('validation.tooFewItems', { minimum });
      return errorText('validation.tooSmall', { minimum });
    }
    case 'too_big': {
      const maximum = Number(issue.maximum);
      if (issue.origin === 'string') return errorText('validation.tooLongText', { maximum });
      if (issue.origin === 'array' || issue.origin === 'set') return errorText('validation.tooManyItems', { maximum });
      return errorText('validation.tooBig', { maximum });
    }
    case 'invalid_value':
      return errorText('validation.oneOf', { allowed: quoted(issue.values) });
    case 'unrecognized_keys':
      return errorText('validation.unknownKeys', { count: issue.keys.length, keys: { allOf: issue.keys.map((k) => `"${k}"`) } });
    default: {
      if (issue.code === 'invalid_format') return errorText(issue.format === 'email' ? 'validation.email' : 'validation.format');
      return errorText('validation.invalid');
    }
  }
}

/** The schema's own message, when it is one of the catalogue's. */
function ownMessage(issue: Issue): ErrorText | null {
  const params = issue.code === 'custom' ? issue.params : undefined;
  if (params && isKey(params.i18n)) {
    const values: Record<string, ErrorValue> = {};
    for (const [name, value] of Object.entries(params)) if (name !== 'i18n' && (typeof value === 'string' || typeof value === 'number')) values[name] = value;
    return errorText(params.i18n, values);
  }
  const key = byEnglish.get(issue.message);
  return key ? errorText(key) : null;
}

export function zodIssueText(issue: Issue): ErrorText {
  const path = issue.path.map(String).join('.');
  return errorText('validation.issue', { path: path || errorText('validation.body'), problem: problem(issue) });
}
