// The list of people in the document, from Yjs awareness: name, organisation,
// stakeholder group, role and cursor colour. One entry per person, however
// many tabs they have open.
import type { Awareness } from 'y-protocols/awareness';
import { h, roleLabel, stakeholderGroupLabel, type Cleanup } from '../dom';
import type { PresenceUser } from '../editor/presence';

export function mountPresence(container: HTMLElement, awareness: Awareness): Cleanup {
  const list = h('ul', { id: 'presence', class: 'presence', 'aria-live': 'polite' });
  const count = h('span', { class: 'panel-count' });
  container.replaceChildren(h('section', { class: 'panel presence-panel', 'aria-labelledby': 'presence-title' }, h('h2', { class: 'panel-title', id: 'presence-title' }, 'People here ', count), list));

  const render = (): void => {
    const selfId = (awareness.getLocalState()?.user as PresenceUser | undefined)?.id;
    const people = new Map<string, PresenceUser>();
    awareness.getStates().forEach((state) => {
      const user = state.user as PresenceUser | undefined;
      if (user?.id && !people.has(user.id)) people.set(user.id, user);
    });
    const ordered = [...people.values()].sort((a, b) => (a.id === selfId ? -1 : b.id === selfId ? 1 : a.name.localeCompare(b.name)));
    count.textContent = `(${ordered.length})`;
    list.replaceChildren(
      ...ordered.map((user) =>
        h(
          'li',
          { 'data-user-id': user.id, class: user.id === selfId ? 'is-self' : '' },
          h('span', { class: 'presence-dot', style: `background-color: ${/^#[0-9a-f]{6}$/i.test(user.color) ? user.color : '#6b7280'}`, 'aria-hidden': 'true' }),
          h(
            'span',
            { class: 'presence-body' },
            h('span', { class: 'presence-name' }, user.name, user.id === selfId ? h('span', { class: 'presence-you' }, ' (you)') : null),
            h('span', { class: 'presence-org' }, user.organization),
            h('span', { class: 'presence-meta' }, [stakeholderGroupLabel(user.stakeholderGroup), roleLabel(user.role ?? '')].filter(Boolean).join(' · ')),
          ),
        ),
      ),
    );
  };
  awareness.on('change', render);
  render();
  return () => awareness.off('change', render);
}
