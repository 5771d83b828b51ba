// A tiny hyperscript helper for DOM built once and left alone (page frames,
// dialogs, the hosts views render into); anything drawn again as its state
// changes is a lit-html view (view.ts). Text always goes in as text nodes:
// nothing here ever assigns innerHTML.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

/** Create an element: attributes (`on*` become listeners, booleans toggle), then children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, '').toLowerCase(), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** Something a mounted view must release: listeners, sockets, editors. */
export type Cleanup = () => void;

// Dates, stakeholder groups and roles in the interface language (client/i18n.ts).
export { formatDate, roleLabel, stakeholderGroupLabel } from './i18n';
