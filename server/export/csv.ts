// CSV as spreadsheets read it (RFC 4180), for every CSV export (the
// supporters list, the amendment compilation).

/** One field: quoted when it must be, and defused against formula injection when opened in a spreadsheet. */
export function csvField(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}
