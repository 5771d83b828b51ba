// The endorsement form of the public page: checked here first (each field
// says in words what it needs), then sent; the server's answer about a field
// is put beside that field the same way. The form itself is the server's
// HTML; its state (problems, the status line, sending) is in one place, and
// the notes and the status line are a view of it.
import { ENDORSE_FIELDS, ENDORSE_HOOKS, fieldNoteId, type EndorseField, type EndorsePageTexts } from '../../core/endorse-page';
import { createStore, html, mountView, nothing, type Store } from '../view';
import { post, refusal } from './api';

export interface Notice {
  text: string;
  kind: 'ok' | 'error';
}

interface FormState {
  problems: Partial<Record<EndorseField, string>>;
  status: Notice | null;
  sending: boolean;
}

type Body = Record<Exclude<EndorseField, 'statement'>, string> & { version: number; statement?: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const noticeView = (id: string, notice: Notice | null, live: boolean) =>
  html`<p class="notice${notice ? ` ${notice.kind}` : ''}" id=${id} role="status" aria-live=${live ? 'polite' : nothing}>${notice?.text ?? ''}</p>`;

function problemsOf(body: Body, texts: EndorsePageTexts): FormState['problems'] {
  const problems: FormState['problems'] = {};
  if (!body.organization.trim()) problems.organization = texts.needs.organization;
  if (!body.stakeholderGroup) problems.stakeholderGroup = texts.needs.stakeholderGroup;
  if (!body.country) problems.country = texts.needs.country;
  if (!body.contactName.trim()) problems.contactName = texts.needs.contactName;
  if (!EMAIL.test(body.email.trim())) problems.email = texts.needs.email;
  return problems;
}

/** The server names a field first ("email: not a valid e-mail address"): said in words beside that field. */
function serverProblems(message: string, texts: EndorsePageTexts): FormState['problems'] {
  const problems: FormState['problems'] = {};
  for (const part of message.split('; ')) {
    const name = part.split(/\s*[:\uff1a]/)[0] as EndorseField;
    if ((ENDORSE_FIELDS as readonly string[]).includes(name)) problems[name] = texts.needs[name];
  }
  return problems;
}

function bodyOf(form: HTMLFormElement): Body {
  const data = new FormData(form);
  const text = (name: string): string => String(data.get(name) ?? '');
  const body: Body = { organization: text('organization'), stakeholderGroup: text('stakeholderGroup'), country: text('country'), contactName: text('contactName'), email: text('email'), version: Number(data.get('version')) };
  const statement = text('statement').trim();
  if (statement) body.statement = statement;
  return body;
}

/** The server's own controls follow the state: each field marked invalid or not, the button off while sending. */
function paintControls(form: HTMLFormElement, state: FormState): void {
  for (const name of ENDORSE_FIELDS) {
    const input = form.elements.namedItem(name);
    if (!(input instanceof HTMLElement)) continue;
    if (state.problems[name]) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
  const button = form.querySelector<HTMLButtonElement>('button[type=submit]');
  if (button) button.disabled = state.sending;
}

/** Shows the problems; the focus goes to the first field with one. Returns how many there are. */
function mark(store: Store<FormState>, form: HTMLFormElement, problems: FormState['problems']): number {
  store.update({ problems });
  const first = ENDORSE_FIELDS.find((name) => problems[name]);
  const input = first ? form.elements.namedItem(first) : null;
  if (input instanceof HTMLElement) input.focus();
  return Object.keys(problems).length;
}

async function submit(store: Store<FormState>, form: HTMLFormElement, texts: EndorsePageTexts): Promise<void> {
  const body = bodyOf(form);
  const fieldsText = (count: number): string => texts.fields[String(Math.min(count, 6))] ?? '';
  const count = mark(store, form, problemsOf(body, texts));
  if (count) return store.update({ status: { text: fieldsText(count), kind: 'error' } });
  store.update({ sending: true });
  try {
    const answer = await post(form.dataset.url ?? form.action, body, texts.locale);
    const message = refusal(answer, texts.failed);
    if (answer.status === 202) {
      form.reset();
      store.update({ status: { text: texts.sent, kind: 'ok' } });
    } else {
      const fromServer = answer.status === 400 || answer.status === 422 ? mark(store, form, serverProblems(message, texts)) : 0;
      const said = answer.status === 429 ? `${texts.venue} ${message.replace(/^./, (c) => c.toUpperCase())}${texts.stop}` : message;
      store.update({ status: { text: fromServer ? fieldsText(fromServer) : said, kind: 'error' } });
    }
  } catch {
    store.update({ status: { text: texts.offline, kind: 'error' } });
  } finally {
    store.update({ sending: false });
  }
}

export function enhanceForm(form: HTMLFormElement, statusHost: HTMLElement, texts: EndorsePageTexts): void {
  const store = createStore<FormState>({ problems: {}, status: null, sending: false });
  statusHost.replaceChildren();
  mountView(statusHost, store, (state) => noticeView(ENDORSE_HOOKS.status, state.status, true));
  for (const name of ENDORSE_FIELDS) {
    const note = document.getElementById(fieldNoteId(name));
    if (note) mountView(note, store, (state) => state.problems[name] ?? '');
  }
  store.subscribe((state) => paintControls(form, state));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void submit(store, form, texts);
  });
}
