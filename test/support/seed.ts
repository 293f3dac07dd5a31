/** Rows put straight into the store of a browser test's server, and cleared between tests. */
import { JobSpecSchema } from '../../src/jobspec/index.js';
import type { SavedEstimation } from '../../src/schemas/saved.js';
import { QUICK } from '../fixtures/specs.js';
import type { Harness } from './browser.js';

/** Saves straight through the service (the server under test shares this process). */
export const seed = (h: Harness, name: string, spec: unknown = QUICK): SavedEstimation =>
  h.t.app.estimations.create({ name, spec: JobSpecSchema.parse(spec) });

/** Empties the store between tests that count rows. */
export function clearSaved(h: Harness): void {
  // Triggers clear the documents and the trigram index; the short-substring table is the store's to keep.
  h.t.app.db.exec('DELETE FROM estimations; DELETE FROM estimation_grams;');
}
