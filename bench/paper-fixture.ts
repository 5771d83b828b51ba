// The synthetic paper the version and attribution benchmarks use: sections of
// ten 100-word paragraphs from a small policy vocabulary, as Markdown.
export function syntheticPaper(words: number): string {
  const vocabulary = 'devices data privacy security users transparency manufacturers should must ensure consent updates networks governments'.split(' ');
  const sections: string[] = [];
  let written = 0;
  for (let s = 0; written < words; s++) {
    const paragraphs: string[] = [];
    for (let p = 0; p < 10 && written < words; p++) {
      const n = Math.min(100, words - written);
      paragraphs.push(`${Array.from({ length: n }, (_, i) => vocabulary[(s * 31 + p * 7 + i) % vocabulary.length]).join(' ')}.`);
      written += n;
    }
    sections.push(`## Section ${s} {#s${s}}\n\n${paragraphs.join('\n\n')}`);
  }
  return `# Benchmark paper\n\n${sections.join('\n\n')}\n`;
}
