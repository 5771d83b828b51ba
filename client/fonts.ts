// Fallback fonts for scripts a reader's system may lack (Chinese, Arabic):
// the reader's own font first (local()), else Noto from the server
// (server/http/font-routes.ts). Each face covers only its script's ranges, so
// the browser fetches one only to draw such characters, and only when no
// local font has them. Registered from code so the build never tries to
// resolve the server's URLs.
const CJK = 'U+2E80-2FDF, U+3000-303F, U+3100-312F, U+31A0-31BF, U+3400-4DBF, U+4E00-9FFF, U+F900-FAFF, U+FE30-FE4F, U+FF00-FFEF, U+20000-2FA1F';
const ARABIC = 'U+0600-06FF, U+0750-077F, U+08A0-08FF, U+FB50-FDFF, U+FE70-FEFF';

const FACES: { family: string; source: string; descriptors: FontFaceDescriptors }[] = [
  {
    family: 'Accord CJK',
    source: 'local("Noto Sans CJK SC"), local("Noto Sans SC"), local("Source Han Sans SC"), local("PingFang SC"), local("Microsoft YaHei"), url("/fonts/noto-sans-sc-400.ttf") format("truetype")',
    descriptors: { unicodeRange: CJK, display: 'swap' },
  },
  {
    family: 'Accord Arabic',
    source: 'local("Noto Sans Arabic"), url("/fonts/noto-sans-arabic-400.ttf") format("truetype")',
    descriptors: { unicodeRange: ARABIC, weight: '400', display: 'swap' },
  },
  {
    family: 'Accord Arabic',
    source: 'local("Noto Sans Arabic Bold"), url("/fonts/noto-sans-arabic-700.ttf") format("truetype")',
    descriptors: { unicodeRange: ARABIC, weight: '600 700', display: 'swap' },
  },
];

export function registerFallbackFonts(): void {
  if (typeof FontFace === 'undefined' || !document.fonts) return;
  for (const { family, source, descriptors } of FACES) document.fonts.add(new FontFace(family, source, descriptors));
}
