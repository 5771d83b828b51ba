// What every rendering of a redline says the same way: header defaults,
// status wording, the description of a formatting change. Pure strings, in
// the export's locale (`meta.locale`: the document's language when it is one of
// the six UN languages, else English; core/i18n/messages/exports).
import { exportLocale, exportText, type ExportText } from '../i18n/messages/exports';
import type { BlockShape, Redline, RedlineBlock, RedlineMark, RedlineMeta, RedlineOp, RedlineRun, RedlineSection } from './types';

/** The caller's header data, completed from the redline where it says nothing. */
export function resolveMeta(r: Redline, meta?: Partial<RedlineMeta>): RedlineMeta & { locale: NonNullable<RedlineMeta['locale']> } {
  const locale = exportLocale(meta?.language, meta?.locale);
  const t = exportText(locale);
  const side = (s: 'from' | 'to') => {
    const given = meta?.[s];
    const v = r.versions[s];
    return { ...given, label: given?.label ?? v.label ?? (typeof v.ref === 'number' ? t.t('side.version', { number: v.ref }) : String(v.ref)) };
  };
  return {
    ...meta,
    locale,
    documentTitle: meta?.documentTitle ?? (r.versions.to.title || r.versions.from.title || t.t('untitled')),
    from: side('from'),
    to: side('to'),
  };
}

export { exportText, type ExportText };

/** "Changed", "Moved (was 3rd, now 5th)", ... */
export function sectionStatusText(t: ExportText, s: RedlineSection): string {
  switch (s.status) {
    case 'added':
      return t.t('status.added');
    case 'removed':
      return t.t('status.removed');
    case 'moved':
      return t.t(s.changed ? 'status.movedChanged' : 'status.moved', { from: (s.fromIndex ?? 0) + 1, to: (s.toIndex ?? 0) + 1 });
    case 'changed':
      return t.t('status.changed');
    default:
      return t.t('status.unchanged');
  }
}

/** The totals line of a summary: "2 changed, 1 added, 0 removed, 0 moved". */
export function totalsText(t: ExportText, r: Redline): string {
  const s = r.stats;
  return t.t('summary.totals', { changed: s.sectionsChanged, added: s.sectionsAdded, removed: s.sectionsRemoved, moved: s.sectionsMoved });
}

export function runsOf(op: RedlineOp): RedlineRun[] {
  return op.runs ?? [{ text: op.text, marks: [] }];
}

/** The image a run stands for (its private-use characters, core/redline/blocks.ts `imageChar`), if any. */
export function imageOf(run: RedlineRun): RedlineMark | undefined {
  return run.marks.find((m) => m.type === 'image');
}

/** How a text rendering shows an image: "[image: alt (src)]". */
export function imageLabel(image: RedlineMark): string {
  return `[image: ${image.title ? `${image.title} ` : ''}(${image.href ?? ''})]`;
}

/** A run's text as formats without images show it: each image as its label. */
export function plainRunText(run: RedlineRun): string {
  const image = imageOf(run);
  return image ? run.text.replace(/[\uE000-\uF8FF]/g, imageLabel(image)) : run.text;
}

function markName(t: ExportText, m: RedlineMark): string {
  if (m.type === 'strong') return t.t('mark.bold');
  if (m.type === 'em') return t.t('mark.italic');
  if (m.type === 'code') return t.t('mark.code');
  if (m.type === 'link') return t.t('mark.link', { href: m.href ?? '' });
  if (m.type === 'image') return t.t('mark.image', { href: m.href ?? '' });
  return m.type;
}

function markNames(t: ExportText, runs: readonly RedlineRun[] | undefined): string {
  const names = new Set<string>();
  for (const run of runs ?? []) for (const m of run.marks) names.add(markName(t, m));
  return names.size ? [...names].join(', ') : t.t('mark.plain');
}

/** "Formatting changed: was plain, now bold". */
export function formatChangeText(t: ExportText, op: RedlineOp): string {
  const was = op.fromRuns?.map(imageOf).find(Boolean);
  const now = op.runs?.map(imageOf).find(Boolean);
  const image = (m: RedlineMark) => `${m.href ?? ''}${m.title ? ` (${m.title})` : ''}`;
  if (was && now) return t.t('format.image', { was: image(was), now: image(now) });
  return t.t('format.changed', { was: markNames(t, op.fromRuns), now: markNames(t, op.runs) });
}

export function shapeText(t: ExportText, shape: BlockShape): string {
  if (shape.type === 'heading') return t.t('shape.heading', { level: shape.level ?? 3 });
  if (shape.type === 'list_item') return t.t(shape.list === 'ordered' ? 'shape.numbered' : 'shape.bulleted');
  return t.t(shape.quote ? 'shape.quoted' : 'shape.paragraph');
}

/** A note on a moved block: "Moved to section “Privacy”" / "Moved here from …". */
export function moveText(t: ExportText, block: RedlineBlock, sections: readonly RedlineSection[], here: RedlineSection): string {
  const other = sections.find((s) => s.id === block.moveSection);
  if (!other || other.id === here.id) return t.t(block.status === 'moved-from' ? 'note.movedAway' : 'note.movedHere');
  return t.t(block.status === 'moved-from' ? 'note.movedTo' : 'note.movedHereFrom', { section: other.title });
}
