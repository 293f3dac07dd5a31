import { describe, expect, it } from 'vitest';
import { estimate } from '../../../src/estimator/index.js';
import { JobSpecSchema } from '../../../src/jobspec/index.js';
import { decodeSpec, linkExports } from '../../../src/web/links.js';
import { buildPlanView } from '../../../src/web/plan.js';
import { hoppingTopN } from '../../fixtures/realistic-jobs.js';

describe('plan view', () => {
  const spec = JobSpecSchema.parse(hoppingTopN);
  const result = estimate(spec);
  const view = buildPlanView({ spec, estimate: result, exports: linkExports(spec) });

  it("each export link carries the plan's spec and its form posts to the link's path", () => {
    expect(view.exports.length).toBeGreaterThan(1);
    for (const e of view.exports) {
      const url = new URL(e.href, 'http://x');
      expect(url.pathname).toBe(`/results/export/${e.format}`);
      expect(e.action).toBe(url.pathname);
      expect(decodeSpec(url.searchParams.get('spec') ?? '')).toEqual(spec);
    }
  });

  it('says in words which constraint decided each parallelism, never the internal key', () => {
    const top = view.operators.find((o) => o.id === 'top');
    expect(result.operators.find((o) => o.id === 'top')?.parallelismDecidedBy).toBe('keys');
    expect(top?.parallelismDecidedBy).toBe('one key');
    const keys = ['catch-up', 'key-groups', 'keys', 'sql', 'slot-sharing'];
    for (const o of view.operators) expect(keys).not.toContain(o.parallelismDecidedBy);
    for (const e of view.explanation) expect(keys).not.toContain(e.decidedBy);
  });
});
