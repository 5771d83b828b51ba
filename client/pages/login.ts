// Sign-in: email and password, or an access token (for invited participants
// and scripts). On success the server sets the session cookie.
import { api, type User, errorText } from '../api';
import { h, type Cleanup } from '../dom';
import { rememberUser } from '../session';
import { t } from '../i18n';
import { languageSwitcher } from '../language';

export function renderLogin(root: HTMLElement, onSignedIn: (user: User) => void): Cleanup {
  const email = h('input', { id: 'login-email', name: 'email', type: 'email', autocomplete: 'username', required: true });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', id: 'login-submit', class: 'button primary wide' }, t('login.submit'));
  const error = h('p', { class: 'form-error', role: 'alert', id: 'login-error' });

  const token = h('input', { id: 'login-token', name: 'token', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const tokenSubmit = h('button', { type: 'submit', id: 'login-token-submit', class: 'button wide' }, t('login.tokenSubmit'));
  const tokenError = h('p', { class: 'form-error', role: 'alert', id: 'login-token-error' });

  const attempt = (button: HTMLButtonElement, out: HTMLElement, run: () => Promise<User>): void => {
    out.textContent = '';
    button.disabled = true;
    const text = button.textContent;
    button.textContent = t('login.signingIn');
    run()
      .then((user) => {
        rememberUser(user);
        onSignedIn(user);
      })
      .catch((err: unknown) => {
        out.textContent = errorText(err);
        button.disabled = false;
        button.textContent = text;
      });
  };

  const passwordForm = h(
    'form',
    { class: 'stack', id: 'login-form', 'aria-labelledby': 'login-title' },
    h('div', { class: 'field' }, h('label', { for: 'login-email' }, t('login.email')), email),
    h('div', { class: 'field' }, h('label', { for: 'login-password' }, t('login.password')), password),
    submit,
    error,
  );
  passwordForm.addEventListener('submit', (event) => {
    event.preventDefault();
    attempt(submit, error, () => api.signIn(email.value.trim(), password.value));
  });

  const tokenForm = h(
    'form',
    { class: 'stack', id: 'login-token-form', 'aria-labelledby': 'token-title' },
    h('h2', { id: 'token-title', class: 'login-alt-title' }, t('login.tokenTitle')),
    h('p', { class: 'muted small' }, t('login.tokenHelp')),
    h('div', { class: 'field' }, h('label', { for: 'login-token' }, t('login.token')), token),
    tokenSubmit,
    tokenError,
  );
  tokenForm.addEventListener('submit', (event) => {
    event.preventDefault();
    attempt(tokenSubmit, tokenError, () => api.signInWithToken(token.value.trim()));
  });

  root.replaceChildren(
    h(
      'main',
      { class: 'login-page' },
      h(
        'div',
        { class: 'login-card' },
        h('div', { class: 'login-top' }, h('div', { class: 'brand login-brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '§'), 'Accord'), languageSwitcher(null)),
        h('h1', { id: 'login-title' }, t('login.title')),
        h('p', { class: 'muted' }, t('login.tagline')),
        passwordForm,
        h('div', { class: 'divider', role: 'separator' }, h('span', {}, t('login.or'))),
        tokenForm,
      ),
    ),
  );
  email.focus();
  return () => {};
}
