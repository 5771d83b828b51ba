// The list of people in the document, from Yjs awareness: name, organisation,
// stakeholder group, role and cursor colour. One entry per person, however
// many tabs they have open.
import type { Awareness } from 'y-protocols/awareness';
import { h, roleLabel, stakeholderGroupLabel, type Cleanup } from '../dom';
import { safeColor, type PresenceUser } from '../editor/presence';
import { formatNumber, locale, t } from '../i18n';

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Awareness states come from other clients: keep only well-formed strings. */
function readUser(raw: unknown): PresenceUser | null {
  if (!raw || typeof raw !== 'object') return null;
  const user = raw as Record<string, unknown>;
  const id = text(user.id);
  if (!id) return null;
  return { id, name: text(user.name) || t('presence.someone'), organization: text(user.organization), stakeholderGroup: text(user.stakeholderGroup), role: text(user.role), color: safeColor(user.color) };
}

export function mountPresence(container: HTMLElement, awareness: Awareness): Cleanup {
  const list = h('ul', { id: 'presence', class: 'presence', 'aria-live': 'polite' });
  const count = h('span', { class: 'panel-count' });
  container.replaceChildren(h('section', { class: 'panel presence-panel', 'aria-labelledby': 'presence-title' }, h('h2', { class: 'panel-title', id: 'presence-title' }, t('presence.title'), ' ', count), list));

  const render = (): void => {
    const selfId = readUser(awareness.getLocalState()?.user)?.id;
    const people = new Map<string, PresenceUser>();
    awareness.getStates().forEach((state) => {
      const user = readUser(state.user);
      if (user && !people.has(user.id)) people.set(user.id, user);
    });
    const ordered = [...people.values()].sort((a, b) => (a.id === selfId ? -1 : b.id === selfId ? 1 : a.name.localeCompare(b.name, locale())));
    count.textContent = `(${formatNumber(ordered.length)})`;
    list.replaceChildren(
      ...ordered.map((user) =>
        h(
          'li',
          { 'data-user-id': user.id, class: user.id === selfId ? 'is-self' : '' },
          h('span', { class: 'presence-dot', style: `background-color: ${safeColor(user.color)}`, 'aria-hidden': 'true' }),
          h(
            'span',
            { class: 'presence-body' },
            h('span', { class: 'presence-name' }, user.name, user.id === selfId ? h('span', { class: 'presence-you' }, ' ', t('presence.you')) : null),
            h('span', { class: 'presence-org' }, user.organization),
            h('span', { class: 'presence-meta' }, [stakeholderGroupLabel(user.stakeholderGroup), roleLabel(user.role)].filter(Boolean).join(' · ')),
          ),
        ),
      ),
    );
  };
  awareness.on('change', render);
  render();
  return () => awareness.off('change', render);
}
