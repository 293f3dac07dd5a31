/**
 * Imported first by the browser bundles: zod compiles its object parsers with `new Function`
 * unless told not to, and probes for it at schema construction (module evaluation) — a probe the
 * page's CSP (script-src 'self', no 'unsafe-eval') reports as a violation even though zod catches
 * it. Interpreted parsing is fast enough for one form.
 */
import { config } from 'zod';

config({ jitless: true });
