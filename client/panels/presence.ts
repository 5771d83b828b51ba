// The list of people in the document, from Yjs awareness: name, organisation,
// stakeholder group, role and cursor colour. One entry per person, however
// many tabs they have open. The list is a view of who is there.
import type { Awareness } from 'y-protocols/awareness';
import { roleLabel, stakeholderGroupLabel, type Cleanup } from '../dom';
import { safeColor, type PresenceUser } from '../editor/presence';
import { formatNumber, locale, t } from '../i18n';
import { createStore, html, mountView, nothing, repeat, type TemplateResult } from '../view';

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Awareness states come from other clients: keep only well-formed strings. */
function readUser(raw: unknown): PresenceUser | null {
  if (!raw || typeof raw !== 'object') return null;
  const user = raw as Record<string, unknown>;
  const id = text(user.id);
  if (!id) return null;
  return { id, name: text(user.name) || t('presence.someone'), organization: text(user.organization), stakeholderGroup: text(user.stakeholderGroup), role: text(user.role), color: safeColor(user.color) };
}

interface PresenceState {
  people: readonly PresenceUser[];
  selfId: string | undefined;
}

/** Everyone in the document once, this browser's person first, the others by name. */
function readPeople(awareness: Awareness): PresenceState {
  const selfId = readUser(awareness.getLocalState()?.user)?.id;
  const people = new Map<string, PresenceUser>();
  awareness.getStates().forEach((state) => {
    const user = readUser(state.user);
    if (user && !people.has(user.id)) people.set(user.id, user);
  });
  return { selfId, people: [...people.values()].sort((a, b) => (a.id === selfId ? -1 : b.id === selfId ? 1 : a.name.localeCompare(b.name, locale()))) };
}

function presenceView({ people, selfId }: PresenceState): TemplateResult {
  const person = (user: PresenceUser) => {
    const self = user.id === selfId;
    const meta = [stakeholderGroupLabel(user.stakeholderGroup), roleLabel(user.role)].filter(Boolean).join(' · ');
    return html`<li data-user-id=${user.id} class=${self ? 'is-self' : ''}>
      <span class="presence-dot" style=${`background-color: ${safeColor(user.color)}`} aria-hidden="true"></span>
      <span class="presence-body"><span class="presence-name">${user.name}${self ? html`<span class="presence-you"> ${t('presence.you')}</span>` : nothing}</span><span class="presence-org">${user.organization}</span><span class="presence-meta">${meta}</span></span>
    </li>`;
  };
  return html`<section class="panel presence-panel" aria-labelledby="presence-title">
    <h2 class="panel-title" id="presence-title">${t('presence.title')} <span class="panel-count">${`(${formatNumber(people.length)})`}</span></h2>
    <ul id="presence" class="presence" aria-live="polite">${repeat(people, (user) => user.id, person)}</ul>
  </section>`;
}

export function mountPresence(container: HTMLElement, awareness: Awareness): Cleanup {
  const store = createStore<PresenceState>(readPeople(awareness));
  const unmount = mountView(container, store, presenceView);
  const onChange = (): void => store.update(readPeople(awareness));
  awareness.on('change', onChange);
  return () => {
    awareness.off('change', onChange);
    unmount();
  };
}
