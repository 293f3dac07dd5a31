import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { EXPLAIN_TEXT, JOB_GRAPH, STREAM_GRAPH } from '../fixtures/intake/plans.js';

const SECRETS = ['kafka-Pa55word', 'jdbc-S3cret', 'tok-0123'];

const SCRIPT = `SET 'table.exec.state.ttl' = '1 d';
CREATE TABLE bids (auction BIGINT, bidder BIGINT, price BIGINT, ts TIMESTAMP(3), pt AS PROCTIME(),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)
WITH ('connector' = 'kafka', 'topic' = 'bids', 'format' = 'json',
  'properties.sasl.jaas.config' = 'org.apache.kafka.common.security.plain.PlainLoginModule required username="app" password="kafka-Pa55word";');
CREATE TABLE auctions (id BIGINT, seller BIGINT, PRIMARY KEY (id) NOT ENFORCED)
WITH ('connector' = 'jdbc', 'url' = 'jdbc:mysql://app:jdbc-S3cret@db:3306/shop', 'table-name' = 'auctions', 'lookup.cache' = 'PARTIAL', 'lookup.partial-cache.max-rows' = '10000');
CREATE TABLE hot (auction BIGINT, bids BIGINT) WITH ('connector' = 'kafka', 'topic' = 'hot', 'format' = 'json');
CREATE TABLE top_bids (auction BIGINT, price BIGINT) WITH ('connector' = 'blackhole');
CREATE TABLE enriched (auction BIGINT, seller BIGINT) WITH ('connector' = 'filesystem', 'path' = 's3://b/e', 'format' = 'json', 'token' = 'tok-0123');
EXECUTE STATEMENT SET BEGIN
INSERT INTO hot SELECT auction, COUNT(DISTINCT bidder) FROM TABLE(HOP(TABLE bids, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '10' SECOND)) GROUP BY auction, window_start, window_end;
INSERT INTO top_bids SELECT auction, price FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS rn FROM bids) WHERE rn <= 10;
INSERT INTO enriched SELECT b.auction, a.seller FROM bids AS b JOIN auctions FOR SYSTEM_TIME AS OF b.pt AS a ON b.auction = a.id;
END;`;

let app: FastifyInstance;
let dir: string;
const logLines: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fe-intake-'));
  const config = loadConfig({
    DATABASE_PATH: join(dir, 'intake.db'),
    RATE_LIMIT_MAX: '0',
    COOKIE_SECRET: 'test-cookie-secret-0123456789abcdef',
  });
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  app = await buildApp({ config, logger: { level: 'trace', stream } });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (payload: unknown) =>
  app.inject({ method: 'POST', url: '/api/v1/intake', payload: payload as object });

describe('POST /api/v1/intake', () => {
  it('a statement set → a draft that estimates as it is, with its questions and notes', async () => {
    const res = await post({ sql: SCRIPT });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.spec.pipeline.operators.map((o: { kind: string }) => o.kind)).toEqual([
      'window-aggregate',
      'top-n',
      'lookup-join',
    ]);
    expect(body.spec.pipeline.sinks.map((s: { id: string; kind: string }) => `${s.id}:${s.kind}`)).toEqual([
      'hot:kafka',
      'top_bids:blackhole',
      'enriched:filesystem',
    ]);
    expect(body.spec.state.ttlSeconds).toBe(86400);
    expect(body.questions).toContainEqual({
      path: 'pipeline.sources.0.recordsPerSecond',
      message: 'Average records per second read from bids (bids)',
      assumed: 50000,
    });
    expect(
      body.notes.some((n: { text: string }) =>
        /ROW_NUMBER\(\).*rn <= 10 → a top-10 for each auction/.test(n.text),
      ),
    ).toBe(true);

    const estimate = await app.inject({ method: 'POST', url: '/api/v1/estimates', payload: body.spec });
    expect(estimate.statusCode).toBe(200);
    expect(estimate.json().operators.map((o: { id: string }) => o.id)).toEqual(
      expect.arrayContaining([
        'bids',
        'window-aggregate',
        'top-n',
        'lookup-join',
        'hot',
        'top_bids',
        'enriched',
      ]),
    );
  });

  it('secrets never appear in an answer, an error, a log line or the database', async () => {
    const ok = await post({ sql: SCRIPT });
    const bad = await post({
      sql: `${SCRIPT.replace('END;', 'END')}\nINSERT INTO hot SELEC 'kafka-Pa55word';`,
    });
    expect(bad.statusCode).toBe(400);
    const saved = await app.inject({
      method: 'POST',
      url: '/api/v1/estimations',
      payload: { name: 'from SQL', spec: ok.json().spec },
    });
    expect(saved.statusCode).toBe(201);
    await app.inject({ method: 'GET', url: '/healthz' });
    const database = readFileSync(join(dir, 'intake.db')).toString('latin1');
    for (const secret of SECRETS) {
      expect(ok.body).not.toContain(secret);
      expect(bad.body).not.toContain(secret);
      expect(logLines.join('')).not.toContain(secret);
      expect(database).not.toContain(secret);
    }
    expect(logLines.length).toBeGreaterThan(0);
  });

  it('a script that does not parse → 400 with line, column and construct for each error', async () => {
    const res = await post({
      sql: "CREATE TABLE t (a INT) WITH ('connector' = 'kafka');\nINSERT INTO t SELEC a FROM t;",
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(body.errors[0]).toEqual({
      path: 'sql',
      line: 2,
      column: 15,
      construct: 'INSERT INTO statement',
      message: expect.stringContaining("'SELEC'"),
    });
    expect(body.detail).toContain('line 2, column 15');
  });

  it("EXPLAIN's text output, as sql or as a plan string → the draft of its optimized plan", async () => {
    for (const body of [{ sql: EXPLAIN_TEXT }, { plan: EXPLAIN_TEXT }]) {
      const res = await post(body);
      expect(res.statusCode).toBe(200);
      expect(res.json().spec.pipeline.sinks.map((s: { id: string }) => s.id)).toEqual(['enriched', 'totals']);
    }
    const partial = await post({ sql: '== Optimized Execution Plan ==\nCalc(select=[a])\n' });
    expect(partial.statusCode).toBe(400);
    expect(partial.json().errors[0]).toEqual({
      path: 'sql',
      message: expect.stringContaining('It read 1 operator: Calc.'),
    });
  });

  it('an OPTIONS hint Flink printed in a plan never brings its credential into the answer', async () => {
    const hint = 'hints=[[[OPTIONS options:{password=hint-Pa55, scan.startup.mode=latest-offset}]]]';
    const jobGraph = JSON.parse(
      JSON.stringify(JOB_GRAPH).replace(
        'fields=[auction, price])<br/>+- [2]',
        `fields=[auction, price], ${hint})<br/>+- [2]`,
      ),
    );
    const explain = EXPLAIN_TEXT.replaceAll(
      'fields=[id, cid, amount])',
      `fields=[id, cid, amount], ${hint})`,
    );
    expect(JSON.stringify(jobGraph)).toContain('hint-Pa55');
    expect(explain).toContain('hint-Pa55');
    for (const body of [{ plan: jobGraph }, { plan: explain }, { sql: explain }]) {
      const res = await post(body);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('hint-Pa55');
      // The note still names the scan it read, with the hint's other options.
      expect(res.body).toContain('password=***');
    }
  });

  it('a script with no job in it → 400 saying so, in one sentence', async () => {
    const res = await post({ sql: "CREATE TABLE t (a INT) WITH ('connector' = 'kafka');" });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toBe(
      'The script does not parse: 1 error, the first at line 1, column 1 (script): The script has no INSERT INTO, statement set or SELECT: there is no job to size.',
    );
  });

  it('a stream graph from EXPLAIN JSON_EXECUTION_PLAN → a draft that estimates', async () => {
    const res = await post({ plan: STREAM_GRAPH });
    expect(res.statusCode).toBe(200);
    const spec = res.json().spec;
    expect(spec.pipeline.operators.map((o: { kind: string }) => o.kind)).toEqual(['window-aggregate', 'map']);
    expect((await app.inject({ method: 'POST', url: '/api/v1/estimates', payload: spec })).statusCode).toBe(
      200,
    );
  });

  it('a job graph from the REST API → a draft keeping the vertex ids, which estimates', async () => {
    const res = await post({ plan: JOB_GRAPH });
    expect(res.statusCode).toBe(200);
    const spec = res.json().spec;
    expect(spec.pipeline.sources[0].flinkVertexId).toBe('bc764cd8ddf7a0cff126f51c16239658');
    expect((await app.inject({ method: 'POST', url: '/api/v1/estimates', payload: spec })).statusCode).toBe(
      200,
    );
  });

  it('interval joins (asymmetric bounds) and per-side STATE_TTL give valid drafts', async () => {
    const sql = `CREATE TABLE o (id BIGINT, t TIMESTAMP(3), WATERMARK FOR t AS t) WITH ('connector' = 'kafka');
CREATE TABLE s (id BIGINT, t TIMESTAMP(3), WATERMARK FOR t AS t) WITH ('connector' = 'kafka');
CREATE TABLE x (id BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO x SELECT o.id FROM o, s WHERE o.id = s.id AND s.t BETWEEN o.t AND o.t + INTERVAL '1' HOUR;
INSERT INTO x SELECT /*+ STATE_TTL('o' = '1d', 's' = '2h') */ o.id FROM o JOIN s ON o.id = s.id;`;
    const res = await post({ sql });
    expect(res.statusCode).toBe(200);
    const [interval, regular] = res.json().spec.pipeline.operators;
    expect(interval).toMatchObject({ kind: 'interval-join', lowerBoundSeconds: 0, upperBoundSeconds: 3600 });
    expect(regular).toMatchObject({ kind: 'regular-join', leftTtlSeconds: 86400, rightTtlSeconds: 7200 });
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/estimates', payload: res.json().spec })).statusCode,
    ).toBe(200);
  });

  it('bad bodies: neither or both fields, an empty or oversized script, not a plan', async () => {
    expect((await post({})).json().errors).toEqual([
      { path: 'sql', message: 'Give exactly one of sql or plan' },
    ]);
    expect((await post({ sql: 'x', plan: {} })).statusCode).toBe(400);
    expect((await post({ sql: '' })).statusCode).toBe(400);
    expect((await post({ sql: 'x'.repeat(64 * 1024 + 1) })).json().errors[0].path).toBe('sql');
    const notPlan = await post({ plan: { hello: 'world' } });
    expect(notPlan.statusCode).toBe(400);
    expect(notPlan.json().errors).toEqual([
      { path: 'plan', message: 'The plan has no "nodes": paste the whole JSON document Flink printed.' },
    ]);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(doc.paths['/api/v1/intake'])).toEqual(['post']);
    expect(doc.paths['/api/v1/intake'].post.responses['400']).toBeDefined();
  });
});
