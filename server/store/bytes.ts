// A driver's Buffer (better-sqlite3, node-postgres) as a plain Uint8Array over the same memory, no copy.
export const bytes = (buf: Buffer): Uint8Array => new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
