// The interface's fallback fonts, served from the npm font packages the PDF
// renderer already ships (@expo-google-fonts, OFL): Noto Sans SC for Chinese
// and Noto Sans Arabic. The stylesheet names them after the reader's own
// fonts (local()), so a browser downloads one only when its system has no
// font for that script. A fixed list: nothing else under node_modules is reachable.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Router } from 'express';
import { notFound } from './errors';

const require = createRequire(import.meta.url);

const FONTS: Readonly<Record<string, readonly [pkg: string, file: string]>> = {
  'noto-sans-sc-400.ttf': ['noto-sans-sc', '400Regular/NotoSansSC_400Regular.ttf'],
  'noto-sans-arabic-400.ttf': ['noto-sans-arabic', '400Regular/NotoSansArabic_400Regular.ttf'],
  'noto-sans-arabic-700.ttf': ['noto-sans-arabic', '700Bold/NotoSansArabic_700Bold.ttf'],
};

function fontPath(name: string): string | null {
  const entry = Object.hasOwn(FONTS, name) ? FONTS[name] : undefined;
  if (!entry) return null;
  const [pkg, file] = entry;
  return join(dirname(require.resolve(`@expo-google-fonts/${pkg}`)), file);
}

export function fontRoutes(): Router {
  const router = Router();
  router.get('/fonts/:name', (req, res, next) => {
    const path = fontPath(req.params.name);
    if (!path) throw notFound(`no font ${req.params.name}`);
    res.type('font/ttf');
    // The files change only with the package version: a week is safe.
    res.sendFile(path, { maxAge: '7d' }, (err) => {
      // A reader who leaves mid-download is not an error of ours.
      if (err && !res.headersSent) next(err);
    });
  });
  return router;
}
