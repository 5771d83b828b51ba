// What every rendering of a redline says the same way: header defaults,
// status wording, the description of a formatting change. Pure strings.
import type { BlockShape, Redline, RedlineBlock, RedlineMark, RedlineMeta, RedlineOp, RedlineRun, RedlineSection } from './types';

/** The caller's header data, completed from the redline where it says nothing. */
export function resolveMeta(r: Redline, meta?: Partial<RedlineMeta>): RedlineMeta {
  const side = (s: 'from' | 'to') => {
    const given = meta?.[s];
    const v = r.versions[s];
    return { ...given, label: given?.label ?? v.label ?? (typeof v.ref === 'number' ? `Version ${v.ref}` : String(v.ref)) };
  };
  return {
    ...meta,
    documentTitle: meta?.documentTitle ?? (r.versions.to.title || r.versions.from.title || 'Untitled document'),
    from: side('from'),
    to: side('to'),
  };
}

export function ordinal(n: number): string {
  const s = ['th', 'st', 'nd', 'rd'];
  const v = n % 100;
  return `${n}${s[(v - 20) % 10] ?? s[v] ?? s[0]}`;
}

/** "Changed", "Moved (was 3rd, now 5th)", ... */
export function sectionStatusText(s: RedlineSection): string {
  switch (s.status) {
    case 'added':
      return 'Added';
    case 'removed':
      return 'Removed';
    case 'moved':
      return `Moved (was ${ordinal((s.fromIndex ?? 0) + 1)}, now ${ordinal((s.toIndex ?? 0) + 1)})${s.changed ? ' and changed' : ''}`;
    case 'changed':
      return 'Changed';
    default:
      return 'Unchanged';
  }
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

function markName(m: RedlineMark): string {
  if (m.type === 'strong') return 'bold';
  if (m.type === 'em') return 'italic';
  if (m.type === 'code') return 'code';
  if (m.type === 'link') return `link to ${m.href ?? ''}`;
  if (m.type === 'image') return `image ${m.href ?? ''}`;
  return m.type;
}

function markNames(runs: readonly RedlineRun[] | undefined): string {
  const names = new Set<string>();
  for (const run of runs ?? []) for (const m of run.marks) names.add(markName(m));
  return names.size ? [...names].join(', ') : 'plain';
}

/** "Formatting changed: was plain, now bold". */
export function formatChangeText(op: RedlineOp): string {
  const was = op.fromRuns?.map(imageOf).find(Boolean);
  const now = op.runs?.map(imageOf).find(Boolean);
  if (was && now) return `Image changed: was ${was.href ?? ''}${was.title ? ` (${was.title})` : ''}, now ${now.href ?? ''}${now.title ? ` (${now.title})` : ''}`;
  return `Formatting changed: was ${markNames(op.fromRuns)}, now ${markNames(op.runs)}`;
}

export function shapeText(shape: BlockShape): string {
  if (shape.type === 'heading') return `heading (level ${shape.level ?? 3})`;
  if (shape.type === 'list_item') return `${shape.list === 'ordered' ? 'numbered' : 'bulleted'} list item`;
  return shape.quote ? 'quoted paragraph' : 'paragraph';
}

/** A note on a moved block: "Moved to section “Privacy”" / "Moved here from …". */
export function moveText(block: RedlineBlock, sections: readonly RedlineSection[], here: RedlineSection): string {
  const other = sections.find((s) => s.id === block.moveSection);
  if (!other || other.id === here.id) return block.status === 'moved-from' ? 'Moved elsewhere in this section' : 'Moved here from elsewhere in this section';
  return block.status === 'moved-from' ? `Moved to section “${other.title}”` : `Moved here from section “${other.title}”`;
}
