// Imported first by main.ts. Zod compiles its object parsers with `new Function`
// when it may; the app's Content-Security-Policy forbids eval (script-src 'self'),
// so it is told not to even try (the attempt alone is a policy violation).
import { z } from 'zod';

z.config({ jitless: true });
