// Shared pieces of the server-rendered endorsement pages (public page,
// confirmation results, printable list): escaping and the page frame.
// Every piece of text that reaches HTML goes through escapeHtml. Layout uses
// logical directions (start/end), so a right-to-left page mirrors.
import { localeDirection, type Locale } from '../../core/i18n/locales';
import type { PageScript } from './page-script';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A tagged template whose ${} values are escaped, unless already wrapped with `raw`. */
export function html(strings: TemplateStringsArray, ...values: (string | number | Raw | (string | Raw)[] | null | undefined)[]): Raw {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new Raw(out);
}

export class Raw {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

export const raw = (text: string): Raw => new Raw(text);

function render(value: string | number | Raw | (string | Raw)[] | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Raw) return value.html;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(value);
}

export const BASE_CSS = `
  :root { --ink:#1f2328; --muted:#5b6470; --line:#d9dde3; --canvas:#f3f4f6; --paper:#fff; --accent:#1e3a8a; --accent-soft:#e8edf9; --ok:#067647; --ok-soft:#e7f6ee; --danger:#b42318; --danger-soft:#fdecea; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink); background: var(--canvas); }
  main { max-width: 980px; margin: 0 auto; padding: 24px 20px 48px; }
  h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 0 0 12px; } h3 { font-size: 15px; margin: 16px 0 8px; }
  .eyebrow { text-transform: uppercase; letter-spacing: .06em; font-size: 12px; color: var(--muted); margin: 0; }
  .card { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 18px 20px; margin-top: 18px; }
  .muted { color: var(--muted); } .small { font-size: 13px; }
  code, pre { font: 12.5px/1.45 ui-monospace, Menlo, Consolas, monospace; }
  code.hash { word-break: break-all; }
  code, pre { direction: ltr; unicode-bidi: isolate; }
  pre { background: #f7f8fa; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; white-space: pre-wrap; word-break: break-all; margin: 6px 0 0; }
  table { width: 100%; border-collapse: collapse; }
  th, td { text-align: start; padding: 7px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
  th { font-size: 13px; color: var(--muted); font-weight: 600; }
  td.num, th.num { text-align: end; font-variant-numeric: tabular-nums; }
  a { color: var(--accent); }
`;

/** A whole page in `locale` (its `lang` and direction; English when not given); `script`: a module served as a file, with the chunks it imports. */
export function page(title: string, body: Raw, options: { css?: string; nonce?: string; script?: PageScript | null; locale?: Locale } = {}): string {
  const locale = options.locale ?? 'en';
  const nonce = options.nonce ? html` nonce="${options.nonce}"` : raw('');
  const script = options.script
    ? html`${options.script.preload.map((href) => html`<link rel="modulepreload" href="${href}">\n`)}<script type="module" src="${options.script.src}"></script>`
    : raw('');
  return html`<!doctype html>
<html lang="${locale}" dir="${localeDirection(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style${nonce}>${raw(BASE_CSS + (options.css ?? ''))}</style>
</head>
<body>
${body}
${script}
</body>
</html>
`.html;
}
