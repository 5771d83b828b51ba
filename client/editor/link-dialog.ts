// The small modal that asks for a link target. It validates with the shared
// isSafeHref rule, so the editor never holds a javascript: or data: link.
import { h } from '../dom';
import { normalizeHref } from './commands';
import { t } from '../i18n';

export type LinkChoice = { action: 'set'; href: string } | { action: 'remove' } | null;

export function askForLink(initial: string, { canRemove }: { canRemove: boolean }): Promise<LinkChoice> {
  return new Promise((resolve) => {
    const input = h('input', { id: 'link-href', type: 'text', inputmode: 'url', autocomplete: 'off', value: initial, placeholder: t('link.placeholder'), required: true });
    const error = h('p', { class: 'form-error', role: 'alert', id: 'link-error' });
    const dialog = h(
      'dialog',
      { class: 'link-dialog', 'aria-labelledby': 'link-dialog-title' },
      h(
        'form',
        { method: 'dialog' },
        h('h2', { id: 'link-dialog-title' }, t('link.title')),
        h('label', { for: 'link-href' }, t('link.address')),
        input,
        error,
        h(
          'div',
          { class: 'dialog-actions' },
          canRemove ? h('button', { type: 'button', class: 'button subtle', id: 'link-remove', onclick: () => finish({ action: 'remove' }) }, t('link.remove')) : null,
          h('button', { type: 'button', class: 'button subtle', onclick: () => finish(null) }, t('dialog.cancel')),
          h('button', { type: 'submit', class: 'button primary', id: 'link-apply' }, t('link.apply')),
        ),
      ),
    );
    let settled = false;
    const finish = (choice: LinkChoice): void => {
      if (settled) return;
      settled = true;
      dialog.close();
      dialog.remove();
      resolve(choice);
    };
    dialog.querySelector('form')!.addEventListener('submit', (event) => {
      event.preventDefault();
      const href = normalizeHref(input.value);
      if (!href) {
        error.textContent = t('link.invalid');
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        return;
      }
      finish({ action: 'set', href });
    });
    dialog.addEventListener('close', () => finish(null));
    document.body.append(dialog);
    dialog.showModal();
    input.select();
  });
}
