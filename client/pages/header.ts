// The application bar: product name, the current document's title, the
// interface language, and who is signed in (name, role, organisation) with a
// sign-out button.
import type { User } from '../api';
import { h, roleLabel } from '../dom';
import { navigate } from '../router';
import { signOut } from '../session';
import { notify } from '../notice';
import { t } from '../i18n';
import { languageSwitcher } from '../language';

/**
 * `titleLanguage`: the document's language, which its title is written in;
 * `skipTarget`: where the skip link leads (the text, on a document page),
 * else the page's main landmark.
 */
export function appHeader(user: User | null, title?: string, titleLanguage?: string, skipTarget?: () => HTMLElement | null): HTMLElement {
  const signOutButton = h('button', { type: 'button', class: 'button subtle', id: 'sign-out' }, t('header.signOut'));
  signOutButton.addEventListener('click', () => {
    signOutButton.disabled = true;
    signOut()
      .catch((error: unknown) => notify(error instanceof Error ? error.message : String(error), 'error'))
      .finally(() => navigate({ name: 'login', next: null }));
  });
  // The first stop for a keyboard: straight to the page's main content (the text on a document page).
  const skip = h('a', { class: 'skip-link', href: '#main-content', id: 'skip-link' }, t('header.skipToContent'));
  skip.addEventListener('click', (event) => {
    event.preventDefault();
    const target = skipTarget?.() ?? document.querySelector<HTMLElement>('main');
    if (!target) return;
    if (!target.hasAttribute('tabindex') && !target.isContentEditable) target.tabIndex = -1;
    target.focus();
  });
  return h(
    'header',
    { class: 'app-header' },
    skip,
    h('a', { class: 'brand', href: '#/' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '§'), 'Accord'),
    title ? h('h1', { class: 'doc-title', id: 'doc-title', lang: titleLanguage, dir: 'auto' }, title) : h('span', { class: 'doc-title-spacer' }),
    languageSwitcher(user),
    user
      ? h(
          'div',
          { class: 'account', id: 'account' },
          h('div', { class: 'account-text' }, h('span', { class: 'account-name' }, user.name), h('span', { class: 'account-meta' }, `${roleLabel(user.role)} · ${user.organization}`)),
          signOutButton,
        )
      : null,
  );
}
