// The PDF's fonts: Noto, shipped through npm (@expo-google-fonts, OFL), embedded
// and subset by pdfkit, so that every script prints as itself, never "?":
// Noto Sans for Latin (with Latin Extended: Łódź, Işık, București), Greek and
// Cyrillic; Noto Sans Arabic (shaped by fontkit, a right-to-left run in visual
// order); Noto Sans SC for Chinese and Japanese kana; Noto Emoji (outline)
// for emoji. A run of text takes the first font of its style's chain that has
// its characters; what no font has prints as that font's missing-glyph box.
// A document whose every character the PDF standard fonts can print (WinAnsi:
// Latin-1 and typographic punctuation) is set in Helvetica and Courier, which
// need no shaping: a 60,000-section English text renders three times faster.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The styles the writer asks for. */
export type FontStyle = 'sans' | 'sans-bold' | 'sans-italic' | 'sans-bolditalic' | 'mono' | 'mono-bold';

export type FontKey = FontStyle | 'arabic' | 'arabic-bold' | 'cjk' | 'cjk-bold' | 'emoji';

const FILES: Record<FontKey, [pkg: string, file: string]> = {
  sans: ['noto-sans', '400Regular/NotoSans_400Regular.ttf'],
  'sans-bold': ['noto-sans', '700Bold/NotoSans_700Bold.ttf'],
  'sans-italic': ['noto-sans', '400Regular_Italic/NotoSans_400Regular_Italic.ttf'],
  'sans-bolditalic': ['noto-sans', '700Bold_Italic/NotoSans_700Bold_Italic.ttf'],
  mono: ['noto-sans-mono', '400Regular/NotoSansMono_400Regular.ttf'],
  'mono-bold': ['noto-sans-mono', '700Bold/NotoSansMono_700Bold.ttf'],
  arabic: ['noto-sans-arabic', '400Regular/NotoSansArabic_400Regular.ttf'],
  'arabic-bold': ['noto-sans-arabic', '700Bold/NotoSansArabic_700Bold.ttf'],
  cjk: ['noto-sans-sc', '400Regular/NotoSansSC_400Regular.ttf'],
  'cjk-bold': ['noto-sans-sc', '700Bold/NotoSansSC_700Bold.ttf'],
  emoji: ['noto-emoji', '400Regular/NotoEmoji_400Regular.ttf'],
};

const BOLD = new Set<FontStyle>(['sans-bold', 'sans-bolditalic', 'mono-bold']);

const STANDARD: Record<FontStyle, string> = {
  sans: 'Helvetica',
  'sans-bold': 'Helvetica-Bold',
  'sans-italic': 'Helvetica-Oblique',
  'sans-bolditalic': 'Helvetica-BoldOblique',
  mono: 'Courier',
  'mono-bold': 'Courier-Bold',
};

const WIN_ANSI_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';
const NOT_WIN_ANSI = new RegExp(`[^\\t\\n\\x20-\\x7e\\xa0-\\xff${WIN_ANSI_EXTRA}]`);

/** Whether the standard PDF fonts can print every character of `text`. */
export function standardFontsSuffice(text: string): boolean {
  return !NOT_WIN_ANSI.test(text);
}

/** Where a style falls back to, in order, for characters it lacks. */
function chainOf(style: FontStyle): FontKey[] {
  return BOLD.has(style) ? [style, 'sans-bold', 'arabic-bold', 'cjk-bold', 'emoji'] : [style, 'sans', 'arabic', 'cjk', 'emoji'];
}

const require = createRequire(import.meta.url);
const buffers = new Map<FontKey, Buffer>();

/** The font file's bytes, read once per process (pdfkit parses them per document). */
function bytesOf(key: FontKey): Buffer {
  let bytes = buffers.get(key);
  if (!bytes) {
    const [pkg, file] = FILES[key];
    bytes = readFileSync(join(dirname(require.resolve(`@expo-google-fonts/${pkg}`)), file));
    buffers.set(key, bytes);
  }
  return bytes;
}

/**
 * pdfkit's font object behind a selected font, which its typings do not
 * show: the id and reference a content stream names it by, its encoder and
 * metrics, and (for an embedded font) the fontkit font with its coverage.
 */
export interface PdfFontObject {
  id: string;
  ref(): PDFKit.PDFKitReference;
  encode(text: string): [string[], unknown[]];
  widthOfString(text: string, size: number): number;
  font?: { hasGlyphForCodePoint(codePoint: number): boolean };
}

/** The font object of the document's current font (the one place that reaches into pdfkit). */
function currentFont(doc: PDFKit.PDFDocument): PdfFontObject {
  return (doc as unknown as { _font: PdfFontObject })._font;
}

/** Whether a font has a code point, by font file (the same in every document): checked once each. */
const coverage = new Map<FontKey, Map<number, boolean>>();

/** Characters every Noto Sans style has (Basic Latin to Cyrillic): no lookup needed. */
const SANS_COVERS_BELOW = 0x0530;

/**
 * The fonts of one PDF document: registered with pdfkit when first used, and
 * the cutting of a text into runs each of one font.
 */
export class PdfFonts {
  private readonly registered = new Set<FontKey>();

  /** `embedded`: Noto with fallbacks; else the standard fonts (see standardFontsSuffice). */
  constructor(
    private readonly doc: PDFKit.PDFDocument,
    readonly embedded: boolean,
  ) {}

  /** Selects the font `key` and returns pdfkit's object for it. */
  object(key: FontStyle | FontKey): PdfFontObject {
    return currentFont(this.use(key));
  }

  /** Selects the font `key` (registering it first) and returns the document. */
  use(key: FontStyle | FontKey): PDFKit.PDFDocument {
    if (!this.embedded) return this.doc.font(STANDARD[key as FontStyle] ?? 'Helvetica');
    if (!this.registered.has(key)) {
      this.doc.registerFont(key, bytesOf(key));
      this.registered.add(key);
    }
    return this.doc.font(key);
  }

  /** `text` in `style`, cut where another font of the style's chain must take over. */
  runs(text: string, style: FontStyle): { text: string; font: FontKey }[] {
    if (!this.embedded || (style.startsWith('sans') && isBelow(text, SANS_COVERS_BELOW))) return [{ text, font: style }];
    const chain = chainOf(style);
    const out: { text: string; font: FontKey }[] = [];
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      // Spaces and marks join the run they are in: a space between two Arabic words stays Arabic.
      const font = isJoiner(cp) && out.length > 0 ? out[out.length - 1]!.font : (chain.find((key) => this.has(key, cp)) ?? style);
      const last = out[out.length - 1];
      if (last && last.font === font) last.text += ch;
      else out.push({ text: ch, font });
    }
    return out;
  }

  private has(key: FontKey, cp: number): boolean {
    if (cp < SANS_COVERS_BELOW && key.startsWith('sans')) return true;
    let known = coverage.get(key);
    if (!known) coverage.set(key, (known = new Map()));
    let has = known.get(cp);
    if (has === undefined) {
      has = this.object(key).font?.hasGlyphForCodePoint(cp) ?? false;
      known.set(cp, has);
    }
    return has;
  }
}

function isBelow(text: string, limit: number): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= limit) return false;
  return true;
}

/** Spaces, zero-width joiners and variation selectors: never a reason to change font. */
function isJoiner(cp: number): boolean {
  return cp === 0x20 || cp === 0xa0 || cp === 0x200c || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f);
}
