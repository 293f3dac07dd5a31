import { describe, expect, it } from 'vitest';
import { analyzeSql } from '../../../src/intake/sql.js';
import { draftOf, operator, operatorsOf, sinksOf } from './helpers.js';

/** Tables shaped like the Flink documentation's examples (docs/dev/table/sql/queries/*). */
const TABLES = `
CREATE TABLE Bid (bidtime TIMESTAMP(3), price DECIMAL(10, 2), item STRING, supplier_id STRING,
  WATERMARK FOR bidtime AS bidtime - INTERVAL '1' SECOND)
WITH ('connector' = 'kafka', 'topic' = 'bids', 'format' = 'json', 'scan.parallelism' = '6');
CREATE TABLE Orders (order_id STRING, customer_id BIGINT, product STRING, currency STRING, amount INT,
  order_time TIMESTAMP(3), proc_time AS PROCTIME(), WATERMARK FOR order_time AS order_time)
WITH ('connector' = 'kafka', 'topic' = 'orders', 'value.format' = 'avro-confluent');
CREATE TABLE Shipments (order_id STRING, ship_time TIMESTAMP(3), WATERMARK FOR ship_time AS ship_time)
WITH ('connector' = 'kinesis', 'stream' = 'shipments', 'format' = 'json');
CREATE TABLE currency_rates (currency STRING, conversion_rate DECIMAL(32, 2), update_time TIMESTAMP(3),
  WATERMARK FOR update_time AS update_time, PRIMARY KEY (currency) NOT ENFORCED)
WITH ('connector' = 'upsert-kafka', 'topic' = 'rates', 'key.format' = 'raw', 'value.format' = 'json');
CREATE TABLE Customers (id BIGINT, country STRING, PRIMARY KEY (id) NOT ENFORCED)
WITH ('connector' = 'jdbc', 'url' = 'jdbc:mysql://db:3306/shop', 'table-name' = 'customers',
  'lookup.cache' = 'PARTIAL', 'lookup.partial-cache.max-rows' = '50000', 'lookup.partial-cache.expire-after-write' = '10 min');
CREATE TABLE out_kafka (a STRING) WITH ('connector' = 'kafka', 'topic' = 'out', 'format' = 'json', 'sink.parallelism' = '3');
CREATE TABLE out_es (a STRING) WITH ('connector' = 'elasticsearch-7', 'index' = 'x');
`;

const draft = (sql: string) => draftOf(`${TABLES}\n${sql}`);

describe('tables and statements', () => {
  it('CREATE TABLE … WITH: connector, topic, format and scan/sink parallelism; sources only for tables read', () => {
    const d = draft(`INSERT INTO out_kafka SELECT item FROM Bid;`);
    expect(d.spec.pipeline.sources).toEqual([
      {
        id: 'bid',
        name: 'Bid',
        kind: 'kafka',
        recordsPerSecond: 50000,
        avgRecordBytes: 512,
        partitions: 24,
        format: 'json',
        parallelism: 6,
      },
    ]);
    expect(d.spec.pipeline.sinks).toEqual([
      { id: 'out_kafka', name: 'out_kafka', kind: 'kafka', inputs: ['bid'], format: 'json', parallelism: 3 },
    ]);
    // Kafka's scan.parallelism exists from flink-connector-kafka 4.0 (Flink 2.0) only.
    expect(d.notes.find((n) => n.path === 'pipeline.sources.0.parallelism')?.text).toContain(
      'needs flink-connector-kafka 4.0 or later (Flink 2.0): the 3.x connector for Flink 1.19/1.20 refuses the job',
    );
    // What SQL cannot say is asked, with the form's defaults as the assumed values.
    expect(d.questions.map((q) => [q.path, q.assumed])).toEqual([
      ['pipeline.sources.0.recordsPerSecond', 50000],
      ['pipeline.sources.0.avgRecordBytes', 512],
      ['pipeline.sources.0.partitions', 24],
    ]);
    expect(d.notes.find((n) => n.construct === 'CREATE TABLE')?.text).toContain('reading bids');
  });

  it('Kinesis, upsert-kafka (value.format), Elasticsearch and an undeclared catalog table', () => {
    const d = draft(
      `INSERT INTO out_es SELECT order_id FROM Shipments UNION ALL SELECT currency FROM currency_rates UNION ALL SELECT x FROM cat.db.other;`,
    );
    expect(d.spec.pipeline.sources.map((s) => [s.id, s.kind, s.format])).toEqual([
      ['shipments', 'kinesis', 'json'],
      ['currency_rates', 'kafka', 'json'],
      ['other', 'kafka', undefined],
    ]);
    expect(d.questions.find((q) => q.path === 'pipeline.sources.2.kind')?.message).toContain('does not say');
    // UNION ALL: every input feeds the sink; Flink's union is no operator.
    expect(sinksOf(d)).toEqual(['elasticsearch(shipments,currency_rates,other)']);
  });

  it('CREATE VIEW is planned once however often it is read; EXECUTE STATEMENT SET gives a sink per INSERT', () => {
    const d = draft(`CREATE VIEW cheap AS SELECT * FROM Bid WHERE price < 10;
EXECUTE STATEMENT SET BEGIN
INSERT INTO out_kafka SELECT item FROM cheap;
INSERT INTO out_es SELECT item FROM cheap;
END;`);
    expect(operatorsOf(d)).toEqual(['filter(bid)']);
    expect(sinksOf(d)).toEqual(['kafka(filter)', 'elasticsearch(filter)']);
  });

  it('SET table.exec.state.ttl, checkpoint interval and backend go to the state section', () => {
    const d = draft(`SET 'table.exec.state.ttl' = '12 h';
SET 'execution.checkpointing.interval' = '2 min';
SET 'state.backend.type' = 'rocksdb';
INSERT INTO out_kafka SELECT item, COUNT(*) FROM Bid GROUP BY item;`);
    expect(d.spec.state).toEqual({ ttlSeconds: 43200, checkpointIntervalSeconds: 120, backend: 'rocksdb' });
  });

  it('mini-batch is off unless the script sets it, as in Flink; SET mini-batch and agg-phase-strategy go to sql', () => {
    const agg = `INSERT INTO out_kafka SELECT item, COUNT(*) FROM Bid GROUP BY item;`;
    const off = draft(agg);
    expect(off.spec.sql).toEqual({ miniBatch: false });
    expect(off.notes.find((n) => n.path === 'sql.miniBatch')?.text).toContain('Mini-batch is off');
    const on = draft(`SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.allow-latency' = '5 s';
SET 'table.exec.mini-batch.size' = '5000';
SET 'table.optimizer.agg-phase-strategy' = 'ONE_PHASE';
${agg}`);
    expect(on.spec.sql).toEqual({
      miniBatch: { allowLatencyMs: 5000, size: 5000 },
      aggPhaseStrategy: 'ONE_PHASE',
    });
    // The note points at the SET that enabled it: the first line after the tables.
    expect(on.notes.find((n) => n.path === 'sql.miniBatch')?.line).toBe(TABLES.split('\n').length + 1);
    // 200 ms is read as Flink reads a duration; without it Flink refuses the job, so no mini-batch.
    const ms = draft(`SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.allow-latency' = '200ms';
SET 'table.exec.mini-batch.size' = '1000';
${agg}`);
    expect(ms.spec.sql).toEqual({ miniBatch: { allowLatencyMs: 200, size: 1000 } });
    const noLatency = draft(`SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.size' = '5000';
SET 'table.optimizer.agg-phase-strategy' = 'TWO_PHASE';
${agg}`);
    expect(noLatency.spec.sql).toEqual({ miniBatch: false, aggPhaseStrategy: 'AUTO' });
    expect(noLatency.notes.find((n) => n.path === 'sql.miniBatch')?.text).toContain(
      'without table.exec.mini-batch.allow-latency (greater than 0): Flink refuses',
    );
    expect(noLatency.notes.find((n) => n.path === 'sql.aggPhaseStrategy')?.text).toContain('no effect');
  });

  it('a SELECT without INSERT INTO is collected by the client: a blackhole sink', () => {
    const d = draft(`SELECT item FROM Bid;`);
    expect(sinksOf(d)).toEqual(['blackhole(bid)']);
  });
});

describe('windows, aggregates, ranks', () => {
  it('TUMBLE window TVF with GROUP BY window_start, window_end → a tumbling window aggregate, one key per window', () => {
    const d = draft(
      `SELECT window_start, window_end, SUM(price) FROM TABLE(TUMBLE(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES)) GROUP BY window_start, window_end;`,
    );
    expect(operator(d, 'window-aggregate')).toMatchObject({
      window: { type: 'tumbling', sizeSeconds: 600, time: 'event' },
      distinctKeys: 1,
    });
  });

  it('HOP and CUMULATE with named arguments; processing time from a PROCTIME() column', () => {
    const d =
      draft(`INSERT INTO out_kafka SELECT product FROM TABLE(HOP(DATA => TABLE Orders, TIMECOL => DESCRIPTOR(proc_time), SLIDE => INTERVAL '5' MINUTES, SIZE => INTERVAL '1' HOUR)) GROUP BY product, window_start, window_end;
INSERT INTO out_es SELECT supplier_id FROM TABLE(CUMULATE(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '2' MINUTES, INTERVAL '10' MINUTES)) GROUP BY supplier_id, window_start, window_end;`);
    expect(operator(d, 'window-aggregate', 0).window).toEqual({
      type: 'hopping',
      slideSeconds: 300,
      sizeSeconds: 3600,
      time: 'processing',
    });
    expect(operator(d, 'window-aggregate', 1).window).toEqual({
      type: 'cumulate',
      stepSeconds: 120,
      sizeSeconds: 600,
      time: 'event',
    });
  });

  it('SESSION window TVF with PARTITION BY (not in the grammar) is read from the token stream', () => {
    const d = draft(
      `INSERT INTO out_kafka SELECT supplier_id, SUM(price) FROM TABLE(SESSION(TABLE Bid PARTITION BY supplier_id, DESCRIPTOR(bidtime), INTERVAL '5' MINUTES)) GROUP BY supplier_id, window_start, window_end;`,
    );
    expect(operator(d, 'window-aggregate').window).toEqual({
      type: 'session',
      gapSeconds: 300,
      time: 'event',
    });
    expect(d.notes.find((n) => n.construct === 'SESSION window table function')?.text).toContain(
      'PARTITION BY supplier_id',
    );
  });

  it('legacy GROUP BY TUMBLE(…) and HOP(…) group windows', () => {
    const d =
      draft(`INSERT INTO out_kafka SELECT item FROM Bid GROUP BY TUMBLE(bidtime, INTERVAL '1' HOUR), item;
INSERT INTO out_es SELECT item FROM Bid GROUP BY HOP(bidtime, INTERVAL '1' MINUTE, INTERVAL '15' MINUTE), item;`);
    expect(operator(d, 'window-aggregate', 0).window).toEqual({
      type: 'tumbling',
      sizeSeconds: 3600,
      time: 'event',
    });
    expect(operator(d, 'window-aggregate', 1).window).toEqual({
      type: 'hopping',
      slideSeconds: 60,
      sizeSeconds: 900,
      time: 'event',
    });
  });

  it('GROUP BY with COUNT(DISTINCT …) twice on one argument and a FILTER aggregate', () => {
    const d = draft(
      `INSERT INTO out_kafka SELECT item, COUNT(DISTINCT supplier_id), COUNT(DISTINCT supplier_id) FILTER (WHERE price > 10), SUM(price) FILTER (WHERE price > 100) FROM Bid GROUP BY item;`,
    );
    expect(operator(d, 'aggregate')).toMatchObject({ distinctAggregates: 1, inputs: ['bid'] });
    expect(d.notes.filter((n) => n.construct === 'FILTER (WHERE …)')).toHaveLength(2);
  });

  it('window top-N: ROW_NUMBER() over window_start, window_end, rn <= 3 → a top-3 per window', () => {
    const d = draft(`INSERT INTO out_kafka SELECT * FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY price DESC) AS rownum
  FROM (SELECT window_start, window_end, supplier_id, SUM(price) AS price FROM TABLE(TUMBLE(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES)) GROUP BY window_start, window_end, supplier_id)
) WHERE rownum <= 3;`);
    expect(operatorsOf(d)).toEqual(['window-aggregate(bid)', 'top-n(window-aggregate)']);
    expect(operator(d, 'top-n')).toMatchObject({ n: 3, distinctKeys: 1 });
    expect(d.notes.find((n) => n.construct === 'ROW_NUMBER')?.text).toMatch(/→ a top-3 per window\.$/);
  });

  it('deduplication: ROW_NUMBER() … ORDER BY proc_time ASC, rn = 1 keeps the first row', () => {
    const d = draft(
      `INSERT INTO out_kafka SELECT order_id FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY proc_time ASC) AS row_num FROM Orders) WHERE row_num = 1;`,
    );
    expect(operatorsOf(d)).toEqual(['deduplicate(orders)']);
    expect(d.notes.find((n) => n.construct === 'ROW_NUMBER')?.text).toContain('keeping the first row');
  });

  it('top-N by a non-time column with rn < 6 → a top-5; rank 1 by a non-time column stays a rank', () => {
    const d =
      draft(`INSERT INTO out_kafka SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY product ORDER BY amount DESC) AS rn FROM Orders) WHERE rn < 6;
INSERT INTO out_es SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY product ORDER BY amount DESC) AS rn FROM Orders) WHERE rn = 1;`);
    expect(operator(d, 'top-n', 0).n).toBe(5);
    expect(operator(d, 'top-n', 1).n).toBe(1);
  });

  it('OVER aggregates and MATCH_RECOGNIZE are keyed operators sized as aggregates, with a note', () => {
    const d =
      draft(`INSERT INTO out_kafka SELECT product, SUM(amount) OVER (PARTITION BY product ORDER BY order_time RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW) AS s FROM Orders;
INSERT INTO out_es SELECT * FROM Orders MATCH_RECOGNIZE (PARTITION BY product ORDER BY order_time MEASURES A.amount AS a ONE ROW PER MATCH AFTER MATCH SKIP PAST LAST ROW PATTERN (A B) DEFINE A AS A.amount > 10) AS T;`);
    expect(operatorsOf(d)).toEqual(['aggregate(orders)', 'aggregate(orders)']);
    expect(d.notes.map((n) => n.construct)).toEqual(expect.arrayContaining(['OVER', 'MATCH_RECOGNIZE']));
  });
});

describe('joins', () => {
  it('interval join in WHERE: o.order_time BETWEEN s.ship_time - 4 h AND s.ship_time → shipments 0 to 4 h after orders', () => {
    const d = draft(
      `INSERT INTO out_kafka SELECT o.order_id FROM Orders o, Shipments s WHERE o.order_id = s.order_id AND o.order_time BETWEEN s.ship_time - INTERVAL '4' HOUR AND s.ship_time;`,
    );
    expect(operator(d, 'interval-join')).toMatchObject({
      inputs: ['orders', 'shipments'],
      lowerBoundSeconds: 0,
      upperBoundSeconds: 14400,
    });
  });

  it('interval join in ON with the bounds the other way round and >=/< comparisons', () => {
    const d = draft(
      `INSERT INTO out_kafka SELECT o.order_id FROM Shipments s JOIN Orders o ON o.order_id = s.order_id AND s.ship_time >= o.order_time AND s.ship_time < o.order_time + INTERVAL '30' MINUTE;`,
    );
    // right (orders) relative to left (shipments): order_time ∈ (ship_time − 30 min, ship_time].
    expect(operator(d, 'interval-join')).toMatchObject({
      inputs: ['shipments', 'orders'],
      lowerBoundSeconds: -1800,
      upperBoundSeconds: 0,
    });
  });

  it('regular join with a STATE_TTL hint per side', () => {
    const d = draft(
      `INSERT INTO out_kafka SELECT /*+ STATE_TTL('o' = '1d', 's' = '12h') */ o.order_id FROM Orders o JOIN Shipments s ON o.order_id = s.order_id;`,
    );
    expect(operator(d, 'regular-join')).toMatchObject({
      inputs: ['orders', 'shipments'],
      leftTtlSeconds: 86400,
      rightTtlSeconds: 43200,
    });
  });

  it('STATE_TTL with one value for both sides sets ttlSeconds', () => {
    const d = draft(
      `INSERT INTO out_kafka SELECT /*+ STATE_TTL('Orders' = '6h', 'Shipments' = '6h') */ Orders.order_id FROM Orders LEFT JOIN Shipments ON Orders.order_id = Shipments.order_id;`,
    );
    expect(operator(d, 'regular-join').ttlSeconds).toBe(21600);
  });

  it('temporal join against a versioned table (PRIMARY KEY + watermark) AS OF the row time: the table is a source', () => {
    const d = draft(
      `INSERT INTO out_kafka SELECT order_id FROM Orders LEFT JOIN currency_rates FOR SYSTEM_TIME AS OF Orders.order_time ON Orders.currency = currency_rates.currency;`,
    );
    expect(operatorsOf(d)).toEqual(['temporal-join(orders,currency_rates)']);
  });

  it('lookup join AS OF proc_time against jdbc, with its cache asked about', () => {
    const d = draft(
      `INSERT INTO out_kafka SELECT /*+ LOOKUP('table'='Customers', 'async'='true', 'capacity'='200') */ o.order_id FROM Orders AS o JOIN Customers FOR SYSTEM_TIME AS OF o.proc_time AS c ON o.customer_id = c.id;`,
    );
    expect(operator(d, 'lookup-join')).toEqual({
      id: 'lookup-join',
      name: 'lookup Customers',
      kind: 'lookup-join',
      inputs: ['orders'],
      async: true,
      asyncCapacity: 200,
      lookupLatencyMs: 5,
      cacheHitRatio: 0,
    });
    expect(d.spec.pipeline.sources.map((s) => s.id)).toEqual(['orders']);
    expect(d.questions.find((q) => q.path.endsWith('cacheHitRatio'))?.message).toContain(
      '50000 rows, expiring after 10 min',
    );
  });

  it('window join: two TUMBLE inputs joined on window_start and window_end', () => {
    const d = draft(`INSERT INTO out_kafka SELECT L.order_id FROM
  (SELECT * FROM TABLE(TUMBLE(TABLE Orders, DESCRIPTOR(order_time), INTERVAL '5' MINUTES))) L
  JOIN (SELECT * FROM TABLE(TUMBLE(TABLE Shipments, DESCRIPTOR(ship_time), INTERVAL '5' MINUTES))) R
  ON L.order_id = R.order_id AND L.window_start = R.window_start AND L.window_end = R.window_end;`);
    expect(operatorsOf(d)).toEqual(['window-join(orders,shipments)']);
    expect(operator(d, 'window-join').window).toEqual({ type: 'tumbling', sizeSeconds: 300, time: 'event' });
  });

  it('CROSS JOIN UNNEST is a flatmap on its input', () => {
    const d = draft(
      `INSERT INTO out_kafka SELECT order_id, t FROM Orders CROSS JOIN UNNEST(Orders.product) AS T(t);`,
    );
    expect(operatorsOf(d)).toEqual(['flatmap(orders)']);
  });
});

describe('what the grammar cannot parse', () => {
  const errorsOf = (sql: string) => {
    const outcome = analyzeSql(`${TABLES}\n${sql}`);
    expect(outcome.ok).toBe(false);
    return outcome.ok ? [] : outcome.errors;
  };
  // The statement under test is on the line after the tables.
  const tableLines = TABLES.split('\n').length + 1;

  it('a typo: line, column and the statement it is in', () => {
    const [first] = errorsOf(`INSERT INTO out_kafka SELEC item FROM Bid;`);
    expect(first).toMatchObject({
      path: 'sql',
      line: tableLines,
      column: 23,
      construct: 'INSERT INTO statement',
    });
  });

  it('an OVER aggregate without an alias is named as such', () => {
    const [first] = errorsOf(
      `INSERT INTO out_kafka SELECT SUM(amount) OVER (PARTITION BY product ORDER BY order_time) FROM Orders;`,
    );
    expect(first?.construct).toContain('OVER aggregate without an alias');
    expect(first?.line).toBe(tableLines);
  });

  it('WITH … INSERT INTO and CREATE TABLE … LIKE without columns are named', () => {
    expect(
      errorsOf(`WITH c AS (SELECT item FROM Bid) INSERT INTO out_kafka SELECT item FROM c;`)[0]?.construct,
    ).toContain('WITH … INSERT INTO');
    expect(errorsOf(`CREATE TABLE b2 WITH ('connector' = 'kafka') LIKE Bid;`)[0]?.construct).toContain(
      'LIKE without a column list',
    );
  });

  it('LAST(x, n) in MEASURES, ARRAY[…] and the SQL-standard forms of functions are named', () => {
    expect(
      errorsOf(
        `INSERT INTO out_kafka SELECT * FROM Bid MATCH_RECOGNIZE (ORDER BY bidtime MEASURES LAST(A.price, 1) AS p ONE ROW PER MATCH PATTERN (A B) DEFINE A AS A.price > 0);`,
      )[0]?.construct,
    ).toContain('LAST(x, n) / FIRST(x, n)');
    const construct = (select: string) =>
      errorsOf(`INSERT INTO out_kafka SELECT ${select} FROM Bid;`)[0]?.construct;
    expect(construct('item, CARDINALITY(ARRAY[1, 2])')).toBe(
      'an ARRAY[…] value constructor (the grammar has none)',
    );
    expect(construct("MAP['a', 1]")).toBe('a MAP[…] value constructor (the grammar has none)');
    for (const [select, name] of [
      ['CHAR_LENGTH(item)', 'CHAR_LENGTH'],
      ['EXTRACT(HOUR FROM bidtime)', 'EXTRACT'],
      ['UPPER(TRY_CAST(price AS INT))', 'TRY_CAST'],
      ['FLOOR(bidtime TO HOUR)', 'FLOOR'],
      ['SUBSTRING(item FROM 1 FOR 2)', 'SUBSTRING'],
      ["TRIM(BOTH ' ' FROM item)", 'TRIM'],
    ]) {
      expect(construct(select ?? '')).toBe(
        `${name}(…) in its SQL-standard form (the grammar cannot read it)`,
      );
    }
    // The everyday forms still read.
    expect(
      analyzeSql(`${TABLES}\nINSERT INTO out_kafka SELECT SUBSTRING(item, 1, 2), FLOOR(price) FROM Bid;`).ok,
    ).toBe(true);
  });

  it('a script with no INSERT or SELECT has no job', () => {
    const outcome = analyzeSql(TABLES);
    expect(outcome.ok ? [] : outcome.errors.map((e) => e.message)).toEqual([
      'The script has no INSERT INTO, statement set or SELECT: there is no job to size.',
    ]);
  });
});
