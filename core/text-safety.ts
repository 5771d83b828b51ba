// Characters that never belong in Accord's text: C0 controls other than tab,
// newline and carriage return, lone UTF-16 surrogates and the noncharacters
// U+FFFE/U+FFFF. XML 1.0 (DOCX) cannot hold them and terminals act on them.
// Pure: the HTTP edge refuses them, the DOCX writer strips them as a last line.

// Lone surrogates: a high one not followed by a low one, or a low one not preceded by a high one.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const FORBIDDEN_ALL = new RegExp(FORBIDDEN.source, 'g');

/** The first forbidden character of `text` as `U+XXXX`, or null when there is none. */
export function forbiddenCharacter(text: string): string | null {
  const match = FORBIDDEN.exec(text);
  return match ? `U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : null;
}

/** `text` without its forbidden characters. */
export function stripForbiddenCharacters(text: string): string {
  return FORBIDDEN.test(text) ? text.replace(FORBIDDEN_ALL, '') : text;
}

// ANSI/VT escape sequences (CSI, OSC and two-byte ESC forms) and every other C0/C1 control.
const TERMINAL_CONTROLS = /\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|\u001B[@-_]?|[\u0000-\u0008\u000B-\u001A\u001C-\u001F\u007F-\u009F]/g;

/** Text that is safe to print to a terminal: escape sequences and control characters removed, newlines kept. */
export function terminalSafe(text: string): string {
  return text.replace(TERMINAL_CONTROLS, '');
}

/** A copy of a JSON-like value with the forbidden characters removed from every string (keys included). */
export function stripForbiddenDeep<T>(value: T): T {
  return stripValue(value) as T;
}

function stripValue(value: unknown): unknown {
  if (typeof value === 'string') return stripForbiddenCharacters(value);
  if (Array.isArray(value)) return value.map(stripValue);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[stripForbiddenCharacters(k)] = stripValue(v);
    return out;
  }
  return value;
}
