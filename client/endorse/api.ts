// The public endorsement page's two requests (submit, re-affirm): JSON in
// and out, in the page's language; an answer that is not JSON is a status
// without data.
export interface Answer {
  status: number;
  data: unknown;
}

export async function post(url: string, body: object, locale: string): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', 'accept-language': locale }, body: JSON.stringify(body) });
  let data: unknown = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  return { status: res.status, data };
}

/** The server's words for a refusal, or "The request failed (status)". */
export function refusal(answer: Answer, failed: string): string {
  const error = (answer.data as { error?: { message?: unknown } } | null)?.error;
  return typeof error?.message === 'string' && error.message ? error.message : failed.replace('{status}', String(answer.status));
}
