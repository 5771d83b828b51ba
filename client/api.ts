// The typed client for Accord's HTTP API. One function per endpoint the UI
// uses; every failure becomes an ApiError carrying the server's message.
// It never touches the DOM and never stores credentials (the cookie does).
// Every request names the interface language (Accept-Language), so the
// server's error messages come back in it and are shown as they are.
import { locale, t } from './i18n';
import type { Locale } from '../core/i18n/locales';

// Types only: values come from core/people.ts and the like; core/api.ts would pull zod into the client.
import type { DocumentSummary, DocumentView, Role, User, VersionSummary } from '../core/api';
import type { Amendment, AmendmentDecisionKind } from '../core/api';
import type { ChairEndorsement, OpenVersion, PublicEndorsement } from '../core/endorsements';
import type { WitnessesResponse } from '../core/witnesses';
import type { AttributionPolicy, ContributionsReport } from '../core/api';
import type { ClientAuthor } from './editor/authors';
import type { HistoryPointSummary, HistoryPointView, HistoryVisitView } from '../core/history';

export type { DocumentSummary, Role, User };
export type DocumentDetail = DocumentView;
export type Version = VersionSummary;

export type RedlineFormat = 'html' | 'md' | 'docx' | 'pdf' | 'json';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** What an error says, for a notice or a status line (the server's message for an API error). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function errorFrom(response: Response): Promise<ApiError> {
  let code = `http-${response.status}`;
  let message = `${response.status} ${response.statusText || t('api.requestFailed')}`;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body?.error?.message) message = body.error.message;
    if (body?.error?.code) code = body.error.code;
  } catch {
    // Not JSON (a proxy page, an empty body): keep the status line.
  }
  return new ApiError(response.status, code, message);
}

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        'Accept-Language': locale(),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', t('api.unreachable'));
  }
  if (!response.ok) throw await errorFrom(response);
  return response;
}

async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await send(method, path, body);
  return (await response.json()) as T;
}

const enc = encodeURIComponent;

export const api = {
  signIn: (email: string, password: string) => json<{ user: User }>('POST', '/api/session', { email, password }).then((r) => r.user),
  signInWithToken: (token: string) => json<{ user: User }>('POST', '/api/session', { token }).then((r) => r.user),
  signOut: async (): Promise<void> => {
    await send('DELETE', '/api/session');
  },
  me: () => json<{ user: User }>('GET', '/api/me').then((r) => r.user),
  /** Remembers the interface language for this account. */
  setLanguage: (language: Locale) => json<{ user: User }>('PATCH', '/api/me', { language }).then((r) => r.user),
  documents: () => json<DocumentSummary[]>('GET', '/api/documents'),
  document: (id: string) => json<DocumentDetail>('GET', `/api/documents/${enc(id)}`),
  versions: (id: string) => json<Version[]>('GET', `/api/documents/${enc(id)}/versions`),
  freezeVersion: (id: string, input: { label: string; meeting?: string }) => json<Version>('POST', `/api/documents/${enc(id)}/versions`, input),
  bundle: (id: string) => json<unknown>('GET', `/api/documents/${enc(id)}/bundle`),
  witnesses: () => json<WitnessesResponse>('GET', '/api/log/witnesses'),
  logKey: async (): Promise<string> => (await (await send('GET', '/api/log/key')).text()).trim(),
  redlineHtml: async (id: string, from: number, to: number | 'live'): Promise<string> => (await send('GET', redlineUrl(id, from, to, 'html'))).text(),
};

/** The continuous history (core/history.ts): points, a point's text, redlines between points, versions and the live text, the last visit. */
export const historyApi = {
  points: (id: string) => json<{ points: HistoryPointSummary[] }>('GET', `/api/documents/${enc(id)}/history`).then((r) => r.points),
  point: (id: string, n: number) => json<HistoryPointView>('GET', `/api/documents/${enc(id)}/history/${n}`),
  lastVisit: (id: string) => json<{ visit: HistoryVisitView | null }>('GET', `/api/documents/${enc(id)}/history/last-visit`).then((r) => r.visit),
  redlineHtml: async (id: string, from: string, to: string): Promise<string> => (await send('GET', historyRedlineUrl(id, from, to, 'html'))).text(),
};

/** A redline between two history references: `p<n>` (a point), `v<n>` (a version) or `live`. */
export function historyRedlineUrl(id: string, from: string, to: string, format: 'html' | 'md' | 'json'): string {
  return `/api/documents/${enc(id)}/history/redline?from=${enc(from)}&to=${enc(to)}&format=${format}`;
}

export type { HistoryPointSummary, HistoryPointView, HistoryVisitView };

export function redlineUrl(id: string, from: number, to: number | 'live', format: RedlineFormat): string {
  return `/api/documents/${enc(id)}/redline?from=${from}&to=${to}&format=${format}`;
}

/** Roles allowed to change the text (contract: admin, chair, editor). */
export function canEditText(role: Role): boolean {
  return role === 'admin' || role === 'chair' || role === 'editor';
}

/** Roles allowed to freeze a version. */
export function canFreezeVersion(role: Role): boolean {
  return role === 'admin' || role === 'chair' || role === 'editor';
}

// ---- Endorsements (the call for commitment) ----

export type { ChairEndorsement, OpenVersion, PublicEndorsement };

export const endorsementsApi = {
  /** Confirmed endorsements only, unless the caller is a chair or admin (then every one, with contact details). */
  list: (id: string) => json<(PublicEndorsement | ChairEndorsement)[]>('GET', `/api/documents/${enc(id)}/endorsements`),
  openVersion: (id: string) => json<OpenVersion>('GET', `/api/documents/${enc(id)}/endorsement-version`),
  setOpenVersion: (id: string, version: number) => json<OpenVersion>('PUT', `/api/documents/${enc(id)}/endorsement-version`, { version }),
  decide: (id: string, endorsementId: string, decision: 'confirm' | 'reject', reason?: string) =>
    json<ChairEndorsement>('POST', `/api/documents/${enc(id)}/endorsements/${enc(endorsementId)}/decision`, reason ? { decision, reason } : { decision }),
};

export const endorsePageUrl = (id: string): string => `/endorse/${enc(id)}`;
export const supportersExportUrl = (id: string, format: 'csv' | 'html'): string => `/api/documents/${enc(id)}/endorsements/export?format=${format}`;

/** Roles that decide on endorsements and publish a version for endorsement. */
export function canDecideEndorsements(role: Role): boolean {
  return role === 'admin' || role === 'chair';
}

// ---- Amendments ----

export type { Amendment, AmendmentDecisionKind };

export interface AmendmentProposal {
  section: string;
  quote: string;
  proposed: string;
  justification: string;
  occurrence?: number;
}

export const amendmentsApi = {
  list: (id: string) => json<Amendment[]>('GET', `/api/documents/${enc(id)}/amendments`),
  propose: (id: string, proposal: AmendmentProposal) => json<Amendment>('POST', `/api/documents/${enc(id)}/amendments`, proposal),
  support: (id: string, aid: string) => json<Amendment>('POST', `/api/documents/${enc(id)}/amendments/${enc(aid)}/support`, {}),
  comment: (id: string, aid: string, text: string) => json<Amendment>('POST', `/api/documents/${enc(id)}/amendments/${enc(aid)}/comments`, { text }),
  withdraw: (id: string, aid: string) => json<Amendment>('POST', `/api/documents/${enc(id)}/amendments/${enc(aid)}/withdraw`, {}),
  decide: (id: string, aid: string, decision: AmendmentDecisionKind, reason: string) =>
    json<Amendment>('POST', `/api/documents/${enc(id)}/amendments/${enc(aid)}/decision`, { decision, reason }),
};

export const amendmentsExportUrl = (id: string, format: 'html' | 'docx' | 'csv'): string => `/api/documents/${enc(id)}/amendments/export?format=${format}`;

/** Stakeholders and up propose, support and comment (contract). */
export function canProposeAmendment(role: Role): boolean {
  return role !== 'observer';
}

/** Chairs and editors (and admins) decide on amendments. */
export function canDecideAmendment(role: Role): boolean {
  return role === 'admin' || role === 'chair' || role === 'editor';
}

// ---- Attribution ----

export type { AttributionPolicy, ContributionsReport };

export const attributionApi = {
  /** Client id -> who owns it (its account), for "Show authors"; 404 when the policy shows this caller no names. */
  clients: (id: string) => json<{ clients: Record<string, ClientAuthor> }>('GET', `/api/documents/${enc(id)}/attribution/clients`),
  contributions: (id: string, version: number | 'live') => json<ContributionsReport>('GET', `/api/documents/${enc(id)}/contributions?version=${version}`),
  policy: (id: string) => json<AttributionPolicy>('GET', `/api/documents/${enc(id)}/attribution/policy`),
  setPolicy: (id: string, policy: AttributionPolicy) => json<AttributionPolicy>('PUT', `/api/documents/${enc(id)}/attribution/policy`, policy),
};

/** Chairs (and admins) decide who sees the attribution. */
export function canSetAttributionPolicy(role: Role): boolean {
  return role === 'admin' || role === 'chair';
}
