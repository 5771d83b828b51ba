// "Re-affirm for version N" on the public page: one click asks for a
// confirmation link for the newer version, sent to the contact on record.
// The server writes the button (its words are the page's); the script takes
// the block over and renders it from its state: the note, busy, done.
import type { EndorsePageTexts } from '../../core/endorse-page';
import { createStore, html, mountView } from '../view';
import { post, refusal } from './api';
import { noticeView, type Notice } from './form';

interface ReaffirmState {
  note: Notice | null;
  busy: boolean;
  done: boolean;
}

export function enhanceReaffirm(block: HTMLElement, url: string, texts: EndorsePageTexts): void {
  const button = block.querySelector('button');
  const label = button?.textContent ?? '';
  const noteId = button?.getAttribute('aria-describedby') ?? '';
  const store = createStore<ReaffirmState>({ note: null, busy: false, done: false });
  const ask = async (): Promise<void> => {
    store.update({ busy: true });
    try {
      const answer = await post(url, {}, texts.locale);
      if (answer.status === 202) store.update({ note: { text: texts.reaffirmSent, kind: 'ok' }, done: true });
      else store.update({ note: { text: refusal(answer, texts.failed), kind: 'error' } });
    } catch {
      store.update({ note: { text: texts.offline, kind: 'error' } });
    } finally {
      store.update({ busy: false });
    }
  };
  block.replaceChildren();
  mountView(block, store, (state) => html`<button type="button" class="secondary" aria-describedby=${noteId} ?hidden=${state.done} ?disabled=${state.busy} @click=${() => void ask()}>${label}</button>${noticeView(noteId, state.note, false)}`);
}
