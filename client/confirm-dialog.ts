// A modal question before an act that cannot be undone (freezing a version
// into the signed log, confirming an endorsement, publishing a version for
// endorsement). Resolves true only on the explicit confirm button; Escape,
// Cancel and closing say no. Focus starts on Cancel and returns where it was.
import { h } from './dom';
import { t } from './i18n';

export interface ConfirmRequest {
  title: string;
  /** What will happen, in a sentence or two. */
  body: string;
  confirmLabel: string;
}

export function confirmAction({ title, body, confirmLabel }: ConfirmRequest): Promise<boolean> {
  return new Promise((resolve) => {
    const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const cancel = h('button', { type: 'button', class: 'button subtle', id: 'confirm-dialog-cancel' }, t('dialog.cancel'));
    const confirm = h('button', { type: 'button', class: 'button primary', id: 'confirm-dialog-confirm' }, confirmLabel);
    const dialog = h(
      'dialog',
      { class: 'link-dialog confirm-dialog', id: 'confirm-dialog', 'aria-labelledby': 'confirm-dialog-title', 'aria-describedby': 'confirm-dialog-body' },
      h('h2', { id: 'confirm-dialog-title' }, title),
      h('p', { id: 'confirm-dialog-body' }, body),
      h('div', { class: 'dialog-actions' }, cancel, confirm),
    );
    let settled = false;
    const finish = (answer: boolean): void => {
      if (settled) return;
      settled = true;
      dialog.close();
      dialog.remove();
      returnTo?.focus();
      resolve(answer);
    };
    cancel.addEventListener('click', () => finish(false));
    confirm.addEventListener('click', () => finish(true));
    dialog.addEventListener('close', () => finish(false));
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
