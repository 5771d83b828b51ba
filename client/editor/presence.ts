// Presence: who is here, in which colour, and where their cursor is. The
// awareness `user` field is the contract between this client's peers; the
// cursor plugin renders other people's carets with their name.
import type { Plugin } from 'prosemirror-state';
import type { Awareness } from 'y-protocols/awareness';
import { yCursorPlugin } from 'y-prosemirror';
import type { User } from '../api';
import { stakeholderGroupLabel } from '../dom';
import { isPresenceCursor } from '../../core/presence';
import { roleLabel, t } from '../i18n';

export interface PresenceUser {
  id: string;
  name: string;
  organization: string;
  stakeholderGroup: string;
  role: string;
  /** Six-digit hex: y-prosemirror appends alpha to it for selections. */
  color: string;
}

// Distinct, dark enough for white label text (WCAG AA at small bold sizes).
const PALETTE = ['#1d4ed8', '#b91c1c', '#047857', '#7c3aed', '#b45309', '#0e7490', '#be185d', '#4d7c0f', '#9f1239', '#1e40af', '#6d28d9', '#0f766e'];

/** A stable colour per user id, so everyone sees the same person in the same colour. */
export function userColor(userId: string): string {
  let hash = 2166136261;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return PALETTE[(hash >>> 0) % PALETTE.length]!;
}

export function presenceUser(user: User): PresenceUser {
  return {
    id: user.id,
    name: user.name,
    organization: user.organization,
    stakeholderGroup: user.stakeholderGroup,
    role: user.role,
    color: userColor(user.id),
  };
}

export function describeUser(user: Partial<PresenceUser>): string {
  return [user.organization, stakeholderGroupLabel(user.stakeholderGroup), user.role ? roleLabel(user.role) : ''].filter(Boolean).join(' · ');
}

const FALLBACK_COLOR = '#6b7280';

/** Awareness comes from other clients: only a plain six-digit colour reaches a style. */
export function safeColor(color: unknown): string {
  return typeof color === 'string' && /^#[0-9a-f]{6}$/i.test(color) ? color : FALLBACK_COLOR;
}

function cursorElement(user: Partial<PresenceUser>): HTMLElement {
  const color = safeColor(user.color);
  const cursor = document.createElement('span');
  cursor.classList.add('ProseMirror-yjs-cursor');
  cursor.style.borderColor = color;
  cursor.title = [user.name, describeUser(user)].filter(Boolean).join(' — ');
  const label = document.createElement('div');
  label.style.backgroundColor = color;
  label.textContent = typeof user.name === 'string' && user.name ? user.name : t('presence.someone');
  // Word joiners keep the caret from breaking a line on its own.
  cursor.append(document.createTextNode('\u2060'), label, document.createTextNode('\u2060'));
  return cursor;
}

/**
 * Which remote states the cursor plugin may draw: not our own, and only with
 * a cursor it can resolve (y-prosemirror throws on anything else, and a throw
 * there stops the editor applying remote edits). Never throws itself.
 */
export function drawableCursorState(localClientId: number, clientId: number, state: unknown): boolean {
  if (localClientId === clientId) return false;
  try {
    const cursor: unknown = typeof state === 'object' && state !== null ? (state as { cursor?: unknown }).cursor : undefined;
    return cursor === undefined || cursor === null || isPresenceCursor(cursor);
  } catch {
    return false;
  }
}

/** Remote carets and selections, labelled with each person's name. */
export function presencePlugin(awareness: Awareness): Plugin {
  return yCursorPlugin(awareness, {
    awarenessStateFilter: drawableCursorState,
    cursorBuilder: (user: Partial<PresenceUser>) => cursorElement(user),
    selectionBuilder: (user: Partial<PresenceUser>) => ({ style: `background-color: ${safeColor(user.color)}33`, class: 'ProseMirror-yjs-selection' }),
  });
}
