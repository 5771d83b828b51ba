// How a content hash ("sha256:<hex>") is shown to people: its first 12 hex
// digits, enough to tell versions apart at a glance; the full hash stays in
// the title attribute and the bundle. Free of any hashing code, so the web
// client can import it without the SHA-256 implementation.

export function shortHash(hash: string): string {
  return hash.replace(/^sha256:/, '').slice(0, 12);
}
