// Scripts written without spaces (issue 17): Chinese, Japanese and Thai are
// cut into words by Intl.Segmenter, so a one-word edit marks one word, and a
// redline still rebuilds both texts exactly in every script.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockText, redline, splitTokens, type RedlineOp } from '../core/redline/index';
import { countWords } from '../core/redline/tokens';
import type { PMJSON } from '../core/schema';

function doc(text: string): PMJSON {
  const paragraph = text === '' ? { type: 'paragraph' } : { type: 'paragraph', content: [{ type: 'text', text }] };
  return { type: 'doc', content: [{ type: 'section', attrs: { id: 'a' }, content: [{ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'A' }] }, paragraph] }] };
}

function compare(a: string, b: string) {
  const r = redline({ ref: 1, title: 'T', doc: doc(a) }, { ref: 2, title: 'T', doc: doc(b) });
  const block = r.sections[0]!.blocks.find((bl) => bl.type === 'paragraph')!;
  return { r, block, changed: block.ops.filter((op: RedlineOp) => op.op !== 'equal').map((op) => `${op.op}:${op.text}`) };
}

describe('words in scripts without spaces', () => {
  it('a one-word edit in a Chinese sentence marks that word only', () => {
    const { r, changed } = compare('物联网设备应当默认保护用户的隐私。', '物联网设备必须默认保护用户的隐私。');
    expect(changed).toEqual(['delete:应当', 'insert:必须']);
    expect(r.stats.wordsDeleted).toBe(1);
    expect(r.stats.wordsInserted).toBe(1);
  });

  it('cuts Japanese and Thai into words, and keeps Latin words and their punctuation as before', () => {
    expect(splitTokens('デバイスはプライバシーを守るべきです。')).toContain('プライバシー');
    expect(splitTokens('อุปกรณ์ควรปกป้องความเป็นส่วนตัว')).toContain('ควร');
    expect(splitTokens('outset, IoT (devices).')).toEqual(['outset', ',', 'IoT', '(', 'devices', ')', '.']);
    expect(countWords('物联网设备应当默认保护。 IoT devices —')).toBe(countWords('物联网设备应当默认保护。') + 3);
  });

  it('a one-word edit in Japanese marks that word', () => {
    const { changed } = compare('デバイスはプライバシーを守るべきです。', 'デバイスはセキュリティを守るべきです。');
    expect(changed).toEqual(['delete:プライバシー', 'insert:セキュリティ']);
  });

  it('equal + delete rebuild the old text and equal + insert the new, in any mix of scripts', () => {
    const pieces = ['物联网', '设备', '应当', '隐私', '。', '，', 'デバイス', 'は', 'プライバシー', 'ควร', 'ปกป้อง', 'IoT', 'devices', ',', '.', ' ', ' ', 'مرحبا', 'Łódź', 'Привет'];
    const text = fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).map((parts) => parts.join('').trim().replace(/ {2,}/g, ' '));
    fc.assert(
      fc.property(text, text, (a, b) => {
        const { block } = compare(a, b);
        expect(blockText(block, 'from')).toBe(a);
        expect(blockText(block, 'to')).toBe(b);
      }),
      { numRuns: 300 },
    );
  });
});
