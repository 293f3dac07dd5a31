import { estimate } from './src/estimator/index.js';
import { analyzeSql } from './src/intake/sql.js';
import { JobSpecSchema } from './src/jobspec/index.js';
import { NEXMARK_GENERATOR_DDL, NEXMARK_QUERIES } from './test/fixtures/intake/nexmark.js';
import { nexmarkSpec } from './test/fixtures/nexmark-specs.js';
for (const q of (process.argv[2] ?? 'q4,q7,q9').split(',')) {
  const o = analyzeSql(`${NEXMARK_GENERATOR_DDL}\n${NEXMARK_QUERIES[q]}`);
  if (!o.ok) throw new Error('parse');
  for (const run of ['in-sample', 'held-out'] as const) {
    const e = estimate(JobSpecSchema.parse(nexmarkSpec(q, o.draft.spec, run)));
    console.log(`${q} ${run}: ${e.cpu.requiredCores.toFixed(3)} µs/event`);
    for (const op of e.operators) console.log(`   ${op.id} ${op.kind} in ${(op.inputRecordsPerSecond/1e6).toFixed(4)} cost ${op.costMicrosPerRecord.toFixed(3)} → ${op.requiredCores.toFixed(3)}`);
  }
}
