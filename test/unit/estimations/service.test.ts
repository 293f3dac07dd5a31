import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EstimationService } from '../../../src/estimations/service.js';
import { estimate } from '../../../src/estimator/index.js';
import { JobSpecSchema } from '../../../src/jobspec/index.js';
import { openDatabase } from '../../../src/store/database.js';
import { EstimationStore } from '../../../src/store/estimations.js';
import { kafkaEtl } from '../../fixtures/realistic-jobs.js';

let dir: string;
let close: () => void;
let service: EstimationService;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fe-service-'));
  const db = openDatabase(join(dir, 'store.db'));
  close = () => db.close();
  service = new EstimationService(new EstimationStore(db), (spec) => estimate(spec));
});
afterEach(() => {
  close();
  rmSync(dir, { recursive: true, force: true });
});

describe('EstimationService.listJson on a real SQLite file', () => {
  it('writes the same text as JSON.stringify of list(), names that need escaping included', () => {
    const spec = JobSpecSchema.parse(kafkaEtl);
    // Quotes, a backslash, non-Latin letters and a character JSON escapes only as \u2028.
    const names = ['plain', 'say "hi" \\ there', 'Überwachung 注文 → Kafka', 'line\u2028separator'];
    for (const [i, name] of names.entries())
      service.create({ name, spec, owner: i % 2 === 0 ? null : 'alice' });
    for (const query of [
      { limit: 10 },
      { limit: 2 },
      { limit: 3, sort: 'name' as const },
      { limit: 10, q: 'hi' },
      { limit: 10, q: 'zzz' },
    ]) {
      const { items, nextCursor } = service.list(query);
      expect(service.listJson(query)).toBe(JSON.stringify({ items, nextCursor }));
    }
    // The parsed summary is the stored one: a number the page shows, not a string.
    const first = JSON.parse(service.listJson({ limit: 1 })) as {
      items: Array<{ summary: { parallelism: number } }>;
    };
    expect(typeof first.items[0]?.summary.parallelism).toBe('number');
  });
});
