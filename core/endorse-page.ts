// What the public endorsement page (server/endorsements/page.ts) hands its
// script (client/endorse/): the page's texts in its language, as a JSON block,
// and the names of the form's fields. One shape for both sides, so the
// server cannot write what the script does not read.

/** The form's fields, as named in the form and in the API's answers about them. */
export const ENDORSE_FIELDS = ['organization', 'stakeholderGroup', 'country', 'contactName', 'email', 'statement'] as const;
export type EndorseField = (typeof ENDORSE_FIELDS)[number];

/** The id of the JSON block (`<script type="application/json">`) that carries the texts. */
export const ENDORSE_TEXT_ID = 'endorse-text';

export interface EndorsePageTexts {
  /** The page's language: requests ask for it too. */
  locale: string;
  /** What each field needs, in words. */
  needs: Readonly<Record<EndorseField, string>>;
  /** "N fields need your attention", for N from 1 to 6 (plural forms computed by the server). */
  fields: Readonly<Record<string, string>>;
  sent: string;
  /** "The request failed ({status})": `{status}` is replaced with the HTTP status. */
  failed: string;
  venue: string;
  /** The full stop of the page's language. */
  stop: string;
  offline: string;
  reaffirmSent: string;
}

/** Where the script finds its parts in the page's HTML. */
export const ENDORSE_HOOKS = {
  form: 'endorse-form',
  /** Holds the form's status line (the script renders it). */
  statusHost: 'endorse-status-host',
  status: 'endorse-status',
  /** The attribute of each re-affirm block: the URL to POST to. */
  reaffirm: 'data-reaffirm-url',
} as const;

/** The id of the note beside a field, which says what it needs. */
export const fieldNoteId = (field: EndorseField): string => `${field}-error`;
