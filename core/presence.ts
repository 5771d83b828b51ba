// Presence (awareness) fields other clients act on, checked the same way by
// the server (before relaying) and by the client (before drawing): a state
// arrives from another person's browser and is not to be trusted.

/**
 * A remote cursor y-prosemirror can resolve without throwing: an object with
 * `anchor` and `head`, each the JSON of a Y.RelativePosition (a type ID, an
 * item ID or a root type name, and an optional integer `assoc`).
 */
export function isPresenceCursor(value: unknown): boolean {
  return isRecord(value) && isRelativePosition(value.anchor) && isRelativePosition(value.head);
}

/** The JSON of a Y.RelativePosition (Y.relativePositionToJSON). */
function isRelativePosition(value: unknown): boolean {
  if (!isRecord(value)) return false;
  if ('assoc' in value && value.assoc !== undefined && value.assoc !== null && !Number.isSafeInteger(value.assoc)) return false;
  const hasType = value.type !== undefined && value.type !== null;
  const hasItem = value.item !== undefined && value.item !== null;
  const hasName = typeof value.tname === 'string';
  if (hasType && !isId(value.type)) return false;
  if (hasItem && !isId(value.item)) return false;
  if ('tname' in value && value.tname !== undefined && value.tname !== null && !hasName) return false;
  return hasType || hasItem || hasName;
}

function isId(value: unknown): boolean {
  return isRecord(value) && isUint(value.client) && isUint(value.clock);
}

function isUint(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
