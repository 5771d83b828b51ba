// The proposal form: the quote (from the selection, not editable), the
// proposed text (starts as the quote, so a small change is a small edit; empty
// deletes), and a justification. Submits to the API; the server decides
// whether the quote is still there.
import { amendmentsApi, ApiError, type Amendment } from '../api';
import { h } from '../dom';
import type { QuoteSelection } from '../editor/propose-amendment';
import { t } from '../i18n';

export function openProposeDialog(docId: string, selection: QuoteSelection): Promise<Amendment | null> {
  return new Promise((resolve) => {
    const proposed = h('textarea', { id: 'amendment-proposed', name: 'proposed', rows: 4, maxlength: 10000 });
    proposed.value = selection.quote;
    const justification = h('textarea', { id: 'amendment-justification', name: 'justification', rows: 3, maxlength: 10000, required: true, placeholder: t('proposeDialog.justificationPlaceholder') });
    const error = h('p', { class: 'form-error', role: 'alert', id: 'amendment-error' });
    const submit = h('button', { type: 'submit', class: 'button primary', id: 'amendment-submit' }, t('proposeDialog.submit'));
    const dialog = h(
      'dialog',
      { class: 'link-dialog amendment-dialog', id: 'amendment-dialog', 'aria-labelledby': 'amendment-dialog-title' },
      h(
        'form',
        { method: 'dialog' },
        h('h2', { id: 'amendment-dialog-title' }, t('proposeDialog.title')),
        h(
          'p',
          { class: 'muted small' },
          selection.occurrence > 1
            ? t('proposeDialog.sectionOccurrence', { section: selection.sectionTitle, occurrence: selection.occurrence })
            : t('proposeDialog.section', { section: selection.sectionTitle }),
        ),
        h('label', {}, t('proposeDialog.current')),
        h('blockquote', { class: 'amendment-quote', id: 'amendment-quote', dir: 'auto' }, selection.quote),
        h('label', { for: 'amendment-proposed' }, t('proposeDialog.proposed')),
        proposed,
        h('label', { for: 'amendment-justification' }, t('proposeDialog.justification')),
        justification,
        error,
        h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'button subtle', onclick: () => finish(null) }, t('dialog.cancel')), submit),
      ),
    );
    let settled = false;
    // Focus goes back where it was (the text), so a keyboard user carries on from the passage.
    const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const finish = (result: Amendment | null): void => {
      if (settled) return;
      settled = true;
      dialog.close();
      dialog.remove();
      returnTo?.focus();
      resolve(result);
    };
    dialog.querySelector('form')!.addEventListener('submit', (event) => {
      event.preventDefault();
      error.textContent = '';
      if (proposed.value === selection.quote) {
        error.textContent = t('proposeDialog.unchanged');
        proposed.focus();
        return;
      }
      if (!justification.value.trim()) {
        error.textContent = t('proposeDialog.justificationRequired');
        justification.focus();
        return;
      }
      submit.disabled = true;
      submit.textContent = t('proposeDialog.submitting');
      amendmentsApi
        .propose(docId, { section: selection.section, quote: selection.quote, proposed: proposed.value, justification: justification.value.trim(), occurrence: selection.occurrence })
        .then((amendment) => finish(amendment))
        .catch((failure: unknown) => {
          error.textContent = failure instanceof ApiError || failure instanceof Error ? failure.message : String(failure);
          submit.disabled = false;
          submit.textContent = t('proposeDialog.submit');
        });
    });
    dialog.addEventListener('close', () => finish(null));
    document.body.append(dialog);
    dialog.showModal();
    proposed.focus();
  });
}
