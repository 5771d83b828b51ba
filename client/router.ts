// Hash routes of the single-page client: #/login, #/ and #/doc/:id[/:section].
// Parsing is pure; `startRouter` only wires `hashchange` to a render function.

export type Route =
  | { name: 'login'; next: string | null }
  | { name: 'documents' }
  | { name: 'document'; id: string; section: string | null }
  | { name: 'not-found'; path: string };

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const [path = '/', query = ''] = raw.split('?', 2);
  const params = new URLSearchParams(query);
  if (path === '/login') return { name: 'login', next: params.get('next') };
  if (path === '/' || path === '') return { name: 'documents' };
  const doc = /^\/doc\/([^/]+)(?:\/([^/]+))?\/?$/.exec(path);
  if (doc) return { name: 'document', id: decodeURIComponent(doc[1]!), section: doc[2] ? decodeURIComponent(doc[2]) : null };
  return { name: 'not-found', path };
}

export function hrefFor(route: Route): string {
  switch (route.name) {
    case 'login':
      return route.next ? `#/login?next=${encodeURIComponent(route.next)}` : '#/login';
    case 'documents':
      return '#/';
    case 'document':
      return `#/doc/${encodeURIComponent(route.id)}${route.section ? `/${encodeURIComponent(route.section)}` : ''}`;
    case 'not-found':
      return `#${route.path}`;
  }
}

export function navigate(route: Route, { replace = false } = {}): void {
  const href = hrefFor(route);
  if (location.hash === href) return;
  if (replace) location.replace(href);
  else location.hash = href;
}

/**
 * Render the current route now and on every hash change; the previous page's
 * cleanup runs first. Returns a function that renders the current route again
 * (the interface language changed).
 */
export function startRouter(render: (route: Route) => Promise<(() => void) | void>): () => Promise<void> {
  let cleanup: (() => void) | void;
  let generation = 0;
  const run = async (): Promise<void> => {
    const mine = ++generation;
    if (cleanup) {
      const done = cleanup;
      cleanup = undefined;
      done();
    }
    const result = await render(parseRoute(location.hash));
    // A newer navigation happened while this page was loading: discard it.
    if (mine !== generation) {
      if (result) result();
      return;
    }
    cleanup = result;
  };
  window.addEventListener('hashchange', () => void run());
  void run();
  return run;
}
