// The client's address, for rate limits: the TCP peer, unless that peer is a
// proxy the operator named in ACCORD_TRUSTED_PROXIES; only then is
// X-Forwarded-For believed (Express' "trust proxy" walks it from the right,
// stopping at the first address that is not a trusted proxy).
import { isIP } from 'node:net';

const NAMED = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** Parses "10.0.0.1, 192.168.0.0/16, loopback"; throws on anything else. */
export function parseTrustedProxies(value: string): string[] {
  const entries = value.split(',').map((e) => e.trim()).filter((e) => e.length > 0);
  for (const entry of entries) {
    if (NAMED.has(entry)) continue;
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const bits = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (family === 0 || !prefixOk || extra !== undefined) {
      throw new Error(`ACCORD_TRUSTED_PROXIES: "${entry}" is not an IP address, a CIDR range, or one of loopback, linklocal, uniquelocal`);
    }
  }
  return entries;
}

/** Express' "trust proxy" setting for that list: false (trust no one) when it is empty. */
export function trustProxySetting(proxies: readonly string[] | undefined): false | string[] {
  return proxies && proxies.length > 0 ? [...proxies] : false;
}
