/**
 * The "From SQL or a plan" tab without JavaScript: paste → the pipeline editor filled with the
 * draft, every assumed value beside its node → Estimate → results → Save, the masked script kept
 * with the saved estimation; parse errors at their line and column; the size limit in words.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSpec } from '../../../src/web/links.js';
import { EXPLAIN_TEXT, JOB_GRAPH } from '../../fixtures/intake/plans.js';
import { buildTestApp, type TestApp } from '../../support/app.js';
import { Client } from '../../support/client.js';

const SECRET = 'kafka-Pa55word';
const SCRIPT = `SET 'table.exec.state.ttl' = '1 h';
CREATE TABLE bids (auction BIGINT, price BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
WITH ('connector' = 'kafka', 'topic' = 'bids', 'format' = 'json',
  'properties.sasl.jaas.config' = 'PlainLoginModule required username="app" password="${SECRET}";');
CREATE TABLE top3 (auction BIGINT, price BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO top3 SELECT auction, price FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY price DESC) AS rn
  FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '1' MINUTE))) WHERE rn <= 3;`;

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

const fromHtml = (html: string) =>
  html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#92;/g, '\\')
    .replace(/&amp;/g, '&');

/** The text of a textarea, or the value of an input, as the browser would submit it. */
function fieldValue(html: string, name: string): string {
  const area = new RegExp(`<textarea[^>]*name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
  if (area?.[1] !== undefined) return fromHtml(area[1]);
  const input = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html);
  return input?.[1] !== undefined ? fromHtml(input[1]) : '';
}

/** A node's card beside the editor (up to the next card or the list's end), whitespace collapsed. */
function nodeCard(html: string, id: string): string {
  const m = new RegExp(`<li class="draft-node" id="${id}"[\\s\\S]*?(?=<li class="draft-node"|</ol>)`).exec(
    html,
  );
  return m ? m[0].replace(/\s+/g, ' ') : '';
}

async function pasted(client: Client, script: string) {
  await client.get('/estimate?tab=intake');
  return client.post('/estimate/intake', { script });
}

describe('the tab', () => {
  it('is a link of its own; it shows the paste form and keeps the editor for the draft', async () => {
    const res = await new Client(t.app).get('/estimate?tab=intake');
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(
      /<a href="\/estimate\?tab=intake#intake" aria-current="page"[^>]*>From SQL or a plan<\/a>/,
    );
    expect(res.body).toContain('<label for="script">Flink SQL script or plan</label>');
    expect(res.body).toMatch(/<form method="post" action="\/estimate\/intake"/);
    // Nothing to edit yet: the estimate form waits, hidden, for a draft.
    expect(res.body).toMatch(/<form method="post" action="\/estimate"[^>]*data-estimate-form hidden>/);
    const plain = await new Client(t.app).get('/estimate');
    expect(plain.body).toMatch(/<a href="\/estimate" aria-current="page"[^>]*>Describe the job<\/a>/);
    expect(plain.body).not.toContain('action="/estimate/intake"');
  });
});

describe('pasting SQL without JavaScript', () => {
  it('fills the editor with the draft, shows each assumed value beside its node and each reading beside the node it made', async () => {
    const res = await pasted(new Client(t.app), SCRIPT);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(SECRET);
    expect(res.body).toMatch(/<form method="post" action="\/estimate"[^>]*data-estimate-form>/);
    expect(res.body).toMatch(/name="mode" value="pipeline" checked/);
    const pipeline = JSON.parse(fieldValue(res.body, 'pipelineJson'));
    expect(pipeline.operators.map((o: { kind: string }) => o.kind)).toEqual(['top-n']);
    expect(pipeline.operators[0].n).toBe(3);
    // The list at the top links each assumed value to its node.
    expect(res.body.replace(/\s+/g, ' ')).toContain(
      '<a href="#draft-sources-0" data-question-path="pipeline.sources.0.recordsPerSecond"><code>bids</code> · Records/s</a>: assumed <strong>50,000</strong>.',
    );
    // Beside the node: the same question, and beside the top-n the interpretation that made it.
    expect(nodeCard(res.body, 'draft-sources-0')).toContain('Records/s = <strong>50,000</strong>');
    expect(nodeCard(res.body, 'draft-sources-0')).toContain('Partitions = <strong>24</strong>');
    expect(nodeCard(res.body, 'draft-operators-0')).toMatch(
      /ROW_NUMBER\(\) OVER \(PARTITION BY window_start, window_end ORDER BY price DESC\) … WHERE rn &lt;= 3 → a top-3 per window\./,
    );
    expect(nodeCard(res.body, 'draft-operators-0')).toContain('State/key = <strong>200</strong>');
    // Job-wide readings are listed once, at the top.
    expect(res.body).toContain('SET table.exec.state.ttl = 1 h → state kept 1 h');
    // The script to keep, masked, rides in the form.
    expect(fieldValue(res.body, 'sql')).toContain(`'properties.sasl.jaas.config' = '***'`);
  });

  it('estimates the draft as it is, then saves it with the masked script, shown on /saved/{id}', async () => {
    const client = new Client(t.app);
    const page = await pasted(client, SCRIPT);
    const estimated = await client.post('/estimate', {
      mode: 'pipeline',
      pipelineJson: fieldValue(page.body, 'pipelineJson'),
      sql: fieldValue(page.body, 'sql'),
      rest: fieldValue(page.body, 'rest'),
      flinkVersion: fieldValue(page.body, 'flinkVersion') || '1.20',
    });
    expect(estimated.statusCode).toBe(303);
    const location = String(estimated.headers.location);
    const params = new URL(location, 'http://x').searchParams;
    // The SET statement's TTL has no field on the form: it travels in the hidden rest field.
    expect(decodeSpec(params.get('spec') ?? '')).toMatchObject({ state: { ttlSeconds: 3600 } });
    expect(decodeSpec(params.get('sql') ?? '')).toContain("'properties.sasl.jaas.config' = '***'");

    const results = await client.get(location);
    expect(results.statusCode).toBe(200);
    expect(results.body).toContain('data-source-sql');
    expect(results.body).toContain('The SQL script this plan was made from');
    // "Edit inputs" keeps the script with the spec, so estimating again still saves it.
    const editHref = fromHtml(
      /<a class="button button-secondary" href="([^"]+)">Edit inputs<\/a>/.exec(results.body)?.[1] ?? '',
    );
    const edit = await client.get(editHref);
    expect(edit.body).toContain('data-from-source');
    expect(fieldValue(edit.body, 'sql')).toBe(fieldValue(page.body, 'sql'));
    const saved = await client.post('/saved', {
      name: 'Top bids from SQL',
      spec: fieldValue(results.body, 'spec'),
      sql: fieldValue(results.body, 'sql'),
    });
    expect(saved.statusCode).toBe(303);
    const id = String(saved.headers.location).split('/').at(-1) ?? '';
    const one = await client.get(`/saved/${id}`);
    expect(one.body).toContain('data-source-sql');
    expect(one.body).toContain(
      'ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY price DESC)',
    );
    expect(one.body).toContain('&#39;properties.sasl.jaas.config&#39; = &#39;***&#39;');
    const api = await t.app.inject({ url: `/api/v1/estimations/${id}` });
    expect(api.json().sql).toBe(fieldValue(page.body, 'sql'));
    expect(api.json().spec.state.ttlSeconds).toBe(3600);
    for (const body of [estimated.body, results.body, one.body, api.body]) expect(body).not.toContain(SECRET);
    expect(readFileSync(t.databasePath).toString('latin1')).not.toContain(SECRET);
  });

  it('without JavaScript, "Edit as a pipeline" turns the quick form into the pipeline form', async () => {
    const client = new Client(t.app);
    await client.get('/estimate');
    const res = await client.post('/estimate', {
      intent: 'pipeline-draft',
      mode: 'quick',
      sources: '2',
      operators: '1',
      sinks: '1',
      recordsPerSecond: '80k',
      flinkVersion: '1.20',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('data-drafted');
    expect(res.body).toMatch(/<input type="radio" name="mode" value="pipeline" checked>/);
    const pipeline = JSON.parse(fieldValue(res.body, 'pipelineJson'));
    // 80,000 records/s over two sources: 40,000 each.
    expect(pipeline.sources.map((n: { recordsPerSecond: number }) => n.recordsPerSecond)).toEqual([
      40000, 40000,
    ]);
    const bad = await client.post('/estimate', {
      intent: 'pipeline-draft',
      mode: 'quick',
      recordsPerSecond: 'lots',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('id="recordsPerSecond-error"');
  });

  it('carries the script on the share link and from /saved/{id} back into the intake tab; a refused Estimate keeps the draft’s notes', async () => {
    const client = new Client(t.app);
    const page = await pasted(client, SCRIPT);
    const sql = fieldValue(page.body, 'sql');
    const draft = {
      mode: 'pipeline',
      pipelineJson: fieldValue(page.body, 'pipelineJson'),
      sql,
      rest: fieldValue(page.body, 'rest'),
      flinkVersion: '1.20',
    };
    const intake = fieldValue(page.body, 'intake');
    expect(JSON.parse(intake).questions.length).toBeGreaterThan(0);
    // A refused Estimate: the user's typo stays, with its error, and so do the draft's questions.
    const refused = await client.post('/estimate', {
      mode: 'pipeline',
      pipelineJson: '{ not json',
      sql,
      intake,
      flinkVersion: '1.20',
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('{ not json');
    expect(refused.body).toContain('id="pipelineJson-error"');
    expect(refused.body).toContain('data-intake-summary');
    expect(refused.body).toContain('Assumed values to confirm');
    expect(fieldValue(refused.body, 'sql')).toBe(sql);
    // Saved, then "Edit inputs" → the intake tab shows the stored (masked) script.
    const estimated = await client.post('/estimate', draft);
    const results = await client.get(String(estimated.headers.location));
    const saved = await client.post('/saved', {
      name: 'From SQL',
      spec: fieldValue(results.body, 'spec'),
      sql,
    });
    const id = String(saved.headers.location).split('/').at(-1) ?? '';
    const one = await client.get(`/saved/${id}`);
    const editHref = fromHtml(/<a class="button" href="([^"]+)">Edit inputs<\/a>/.exec(one.body)?.[1] ?? '');
    const edit = await client.get(editHref);
    expect(edit.body).toContain('data-from-source');
    const tabHref = fromHtml(/<a href="([^"]+)"[^>]*data-tab="intake">/.exec(edit.body)?.[1] ?? '');
    expect(tabHref).toContain(`from=${id}`);
    const tab = await client.get(tabHref);
    expect(tab.body).toContain('ROW_NUMBER() OVER (PARTITION BY window_start');
    expect(tab.body).toContain(`<input type="hidden" name="from" value="${id}">`);
    expect(tab.body).not.toContain(SECRET);
    // The share link of a results page carries the script too.
    const share = fromHtml(/href="([^"]+)" data-copy-link/.exec(results.body)?.[1] ?? '');
    expect(share).toContain('sql=');
    expect((await client.get(share)).body).toContain('data-source-sql');
  });

  it('a script too long for a link: the results come straight back from the form, and still save it', async () => {
    const client = new Client(t.app);
    // A comment of random hex: 8,000 bytes no compression shortens, more than a link carries.
    const tables = `${SCRIPT}\n-- ${randomBytes(8000).toString('hex')}`;
    const page = await pasted(client, tables);
    expect(page.statusCode).toBe(200);
    const res = await client.post('/estimate', {
      mode: 'pipeline',
      pipelineJson: fieldValue(page.body, 'pipelineJson'),
      sql: fieldValue(page.body, 'sql'),
    });
    expect(res.statusCode, /error-summary[\s\S]*?<\/ul>/.exec(res.body)?.[0]).toBe(200);
    expect(res.body).toContain('Your Flink plan');
    expect(fieldValue(res.body, 'sql')).toBe(fieldValue(page.body, 'sql'));
  });
});

describe('pasting a plan', () => {
  it('reads a REST job graph into the editor', async () => {
    const res = await pasted(new Client(t.app), JSON.stringify(JOB_GRAPH));
    expect(res.statusCode).toBe(200);
    const pipeline = JSON.parse(fieldValue(res.body, 'pipelineJson'));
    expect(pipeline.sources.length).toBeGreaterThan(0);
    expect(fieldValue(res.body, 'sql')).toBe('');
  });

  it('reads what EXPLAIN printed into the editor', async () => {
    const res = await pasted(new Client(t.app), EXPLAIN_TEXT);
    expect(res.statusCode).toBe(200);
    const pipeline = JSON.parse(fieldValue(res.body, 'pipelineJson'));
    expect(pipeline.sinks.map((s: { id: string }) => s.id)).toEqual(['enriched', 'totals']);
  });

  it('keeps what EXPLAIN printed with the estimation it saves, an OPTIONS hint’s password masked', async () => {
    const hint = 'hints=[[[OPTIONS options:{password=Pa55hint}]]]';
    const explain = EXPLAIN_TEXT.replaceAll('fields=[id, name])\n', `fields=[id, name], ${hint})\n`);
    expect(explain).toContain('Pa55hint');
    const client = new Client(t.app);
    const page = await pasted(client, explain);
    expect(page.statusCode).toBe(200);
    // Shown back with the secret as stars, every line as long as pasted; carried as *** to save.
    expect(
      fieldValue(page.body, 'script')
        .split('\n')
        .map((l) => l.length),
    ).toEqual(explain.split('\n').map((l) => l.length));
    const carried = fieldValue(page.body, 'plan');
    expect(carried).toBe(explain.replaceAll('Pa55hint', '***'));
    const estimated = await client.post('/estimate', {
      mode: 'pipeline',
      pipelineJson: fieldValue(page.body, 'pipelineJson'),
      plan: carried,
      rest: fieldValue(page.body, 'rest'),
      flinkVersion: '1.20',
    });
    expect(estimated.statusCode).toBe(303);
    const results = await client.get(String(estimated.headers.location));
    expect(results.body).toContain('The EXPLAIN output this plan was made from');
    const saved = await client.post('/saved', {
      name: 'From EXPLAIN',
      spec: fieldValue(results.body, 'spec'),
      plan: fieldValue(results.body, 'plan'),
    });
    expect(saved.statusCode).toBe(303);
    const id = String(saved.headers.location).split('/').at(-1) ?? '';
    const one = await client.get(`/saved/${id}`);
    expect(one.body).toContain('The EXPLAIN output this plan was made from');
    expect((await t.app.inject({ url: `/api/v1/estimations/${id}` })).json().plan).toBe(carried);
    for (const body of [page.body, results.body, one.body]) expect(body).not.toContain('Pa55hint');
    expect(readFileSync(t.databasePath).toString('latin1')).not.toContain('Pa55hint');
  });

  it('says so when the plan is not JSON', async () => {
    const res = await pasted(new Client(t.app), '{ "nodes": [ }');
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('This looks like a plan (it starts with “{”) but is not valid JSON');
  });
});

describe('what cannot be read', () => {
  it('a parse error is shown beside the script at its line and column, the script kept', async () => {
    const broken = SCRIPT.replace('INSERT INTO top3 SELECT', 'INSERT INTO top3 SELEC');
    const res = await pasted(new Client(t.app), broken);
    expect(res.statusCode).toBe(422);
    // Beside the textarea (the block it is described by), before it.
    const errors = /<div class="intake-errors" id="script-error"[\s\S]*?<textarea/.exec(res.body)?.[0] ?? '';
    expect(errors).toContain('<strong>Line 6, column 18</strong> (INSERT INTO statement): ');
    // The line as pasted, and a caret under column 18 ("6 | " is four characters of gutter).
    expect(res.body).toContain(
      `6 | INSERT INTO top3 SELEC auction, price FROM (\n${' '.repeat(4 + 17)}^</pre>`,
    );
    // The summary at the top links to the script; the textarea is marked invalid and keeps the text.
    expect(res.body).toMatch(
      /<a href="#script">SQL script or plan: The script does not parse at line 6, column 18/,
    );
    expect(res.body).toMatch(/<textarea id="script"[^>]*aria-invalid="true">/);
    // Kept as pasted, but for the credential: each of its characters is a "*", so positions hold.
    const jaas = `PlainLoginModule required username="app" password="${SECRET}";`;
    expect(fieldValue(res.body, 'script')).toBe(broken.replace(jaas, '*'.repeat(jaas.length)));
    expect(res.body).not.toContain(SECRET);
  });

  it('the size limit is said in plain words', async () => {
    const res = await pasted(new Client(t.app), `-- ${'x'.repeat(70_000)}`);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain(
      'The text is 70,003 characters long; at most 65,536 are read. Paste the statements of one job',
    );
  });

  it('an empty paste asks for a script', async () => {
    const res = await pasted(new Client(t.app), '   ');
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Paste a Flink SQL script (CREATE TABLE … and INSERT INTO …)');
  });
});

describe('with JavaScript (Accept: application/json)', () => {
  const postJson = async (client: Client, script: string) => {
    await client.get('/estimate?tab=intake');
    return client.post('/estimate/intake', { script }, { accept: 'application/json' });
  };

  it('answers the draft, the form values, the masked script and the summary to place', async () => {
    const res = await postJson(new Client(t.app), SCRIPT);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.ok).toBe(true);
    expect(body.spec.pipeline.operators[0].kind).toBe('top-n');
    expect(JSON.parse(body.values.rest)).toMatchObject({ state: { ttlSeconds: 3600 } });
    expect(body.source.kind).toBe('sql');
    expect(body.source.text).toContain("'properties.sasl.jaas.config' = '***'");
    expect(body.view.questions[0]).toMatchObject({
      path: 'pipeline.sources.0.recordsPerSecond',
      group: 'sources',
      index: 0,
      nodeId: 'bids',
      field: 'recordsPerSecond',
      assumed: '50000',
    });
    expect(body.summary).toContain('Assumed values to confirm (');
    expect(res.body).not.toContain(SECRET);
  });

  it('answers a parse error as the block to show beside the script, never a 5xx', async () => {
    const res = await postJson(new Client(t.app), 'CREATE TABLE t (a INT) WITH (;');
    // 200 with ok: false, as the live preview answers: the page asked, and here is what to show.
    expect(res.statusCode).toBe(200);
    expect(res.json().ok).toBe(false);
    expect(res.json().errors).toMatch(/data-parse-error data-line="1" data-column="\d+"/);
  });
});
