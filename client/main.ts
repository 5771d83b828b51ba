// Entry point: routes each hash to its page, sending anyone not signed in to
// the login page first (and back to where they were going afterwards).
import './styles.css';
import { h } from './dom';
import { LOCALE_NAMES } from '../core/i18n/locales';
import { announce } from './announce';
import { registerFallbackFonts } from './fonts';
import { interfaceReady, onLocaleChange, t } from './i18n';
import { adoptAccountLanguage, focusLanguageSwitcher } from './language';
import { keepConnectionForRerender, renderDocument } from './pages/document';
import { renderDocuments } from './pages/documents';
import { renderLogin } from './pages/login';
import { hrefFor, navigate, parseRoute, startRouter, type Route } from './router';
import { currentUser } from './session';

registerFallbackFonts();
const root = document.getElementById('app')!;

function returnTarget(next: string | null): Route {
  const route = next ? parseRoute(`#${next}`) : null;
  return route && route.name !== 'login' && route.name !== 'not-found' ? route : { name: 'documents' };
}

/**
 * After a page is rendered, a keyboard or screen-reader user continues from its
 * main content, not from the top of a page that has been replaced under them.
 */
function focusMainContent(): void {
  const active = document.activeElement;
  if (active && active !== document.body && active.isConnected) return;
  document.getElementById('main-content')?.focus({ preventScroll: true });
}

const rerender = startRouter(async (route) => {
  await interfaceReady;
  const cleanup = await renderRoute(route);
  focusMainContent();
  return cleanup;
});

// A new interface language re-renders the page around the same live connection
// (pages/document.ts keeps it): no reload, the editor stays connected.
onLocaleChange((locale) => {
  const release = keepConnectionForRerender();
  void rerender().then(() => {
    release();
    focusLanguageSwitcher();
    announce(t('language.changed', { language: LOCALE_NAMES[locale] }));
  });
});

async function renderRoute(route: Route): Promise<(() => void) | void> {
  let user;
  try {
    user = await currentUser();
  } catch (error) {
    root.replaceChildren(h('main', { id: 'main-content', tabindex: -1, class: 'page-message' }, h('h1', {}, t('app.unavailable')), h('p', { role: 'alert' }, error instanceof Error ? error.message : String(error))));
    return;
  }
  await adoptAccountLanguage(user);
  if (route.name === 'login') {
    if (user) {
      navigate(returnTarget(route.next), { replace: true });
      return;
    }
    return renderLogin(root, () => navigate(returnTarget(route.next), { replace: true }));
  }
  if (!user) {
    navigate({ name: 'login', next: hrefFor(route).replace(/^#/, '') }, { replace: true });
    return;
  }
  switch (route.name) {
    case 'documents':
      return renderDocuments(root, user);
    case 'document':
      return renderDocument(root, user, route.id, route.section);
    case 'not-found':
      root.replaceChildren(h('main', { id: 'main-content', tabindex: -1, class: 'page-message' }, h('h1', {}, t('app.notFound')), h('p', {}, h('a', { href: '#/' }, t('app.backToDocuments')))));
      return;
  }
}
