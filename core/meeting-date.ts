// The date of the meeting a version was prepared for, read from its meeting
// line ("IGF 2018, Paris (2018-11-13)", as the seed import writes it). Imported
// drafts were frozen long after their meetings; their redlines, DOCX change
// dates and the history panel show the meeting's date, not the import's. Pure.

const TRAILING_DATE = /\((\d{4})-(\d{2})-(\d{2})\)\s*$/;

/** The meeting's date as an ISO timestamp (midday UTC, so no time zone moves the day); null when the line names none. */
export function meetingDate(meeting: string | null | undefined): string | null {
  const match = meeting ? TRAILING_DATE.exec(meeting) : null;
  if (!match) return null;
  const [, year, month, day] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), 12));
  if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) return null;
  return date.toISOString();
}

/** The date a version stands for: its meeting's, else when it was frozen. */
export function versionDate(version: { meeting?: string | null; createdAt: string }): string {
  return meetingDate(version.meeting) ?? version.createdAt;
}
