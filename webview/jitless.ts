// Imported first by main.ts, before any schema is built: zod's object parser otherwise probes
// `new Function`, which the panel's CSP (no 'unsafe-eval') refuses and reports as a violation even
// though zod catches the error. Jitless parsing is plenty fast for a few messages a second.
import * as z from '../protocol/zod';

z.config({ jitless: true });
