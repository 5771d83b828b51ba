// Whether a browser request comes from Accord's own pages. A session cookie
// is sent by the browser whoever asks, so a write (or a WebSocket) that
// relies on the cookie must come from our origin: the one in PUBLIC_URL, or
// the host the request was sent to. Requests without an Origin header (curl,
// scripts with bearer tokens, old same-origin navigations) are not browsers
// acting for another site, unless Sec-Fetch-Site says they are.

export interface OriginHeaders {
  origin?: string | undefined;
  host?: string | undefined;
  secFetchSite?: string | undefined;
}

export type OriginCheck = (headers: OriginHeaders) => boolean;

export function createOriginCheck(publicUrl: string): OriginCheck {
  const ours = new URL(publicUrl).origin;
  return ({ origin, host, secFetchSite }) => {
    if (origin === undefined) return secFetchSite === undefined || secFetchSite === 'same-origin' || secFetchSite === 'none';
    if (origin === ours) return true;
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      return false; // "null" (sandboxed frames, file:) and anything unparsable
    }
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && host !== undefined && parsed.host === host.toLowerCase();
  };
}

const header = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/** The headers an OriginCheck reads, from Node's request headers. */
export function originHeaders(headers: Record<string, string | string[] | undefined>): OriginHeaders {
  return { origin: header(headers.origin), host: header(headers.host), secFetchSite: header(headers['sec-fetch-site']) };
}
