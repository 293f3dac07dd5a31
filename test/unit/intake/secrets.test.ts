import { describe, expect, it } from 'vitest';
import { isSecretOption, maskPlanText, maskSqlSecrets, redactJson } from '../../../src/intake/secrets.js';
import { analyzeSql } from '../../../src/intake/sql.js';

describe('isSecretOption: by the last segment of the option name', () => {
  it.each([
    'password',
    'properties.ssl.truststore.password',
    'properties.sasl.jaas.config',
    's3.secret-key',
    'fs.azure.account.key',
    'token',
    'properties.sasl.oauthbearer.token',
    'aws.credentials.basic.secretkey',
    'es.api-key',
  ])('%s holds a credential', (name) => expect(isSecretOption(name)).toBe(true));
  it.each([
    'key.format',
    'key.fields',
    'value.format',
    'topic',
    'url',
    'username',
    'properties.bootstrap.servers',
  ])('%s does not', (name) => expect(isSecretOption(name)).toBe(false));
});

const SCRIPT = `CREATE TABLE t (a INT) WITH (
  'connector' = 'jdbc',
  'url' = 'jdbc:postgresql://app:pg-Pa55@db:5432/shop?sslmode=require&password=qp-Secret',
  'username' = 'app',
  'password' = 'it''s-hunter2',
  'properties.sasl.jaas.config' = 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="jaas-S3cret";'
);
SET 's3.secret-key' = 'AKIAsecretKEY';
SET fs.azure.account.key = bareAzureKey;
-- 'password' = 'in-a-comment'
CREATE CATALOG ice WITH ('type' = 'iceberg', 'uri' = 'https://user:cat-Pass@rest:8181', 'token' = 'tok-123');`;
const SECRETS = [
  'pg-Pa55',
  'qp-Secret',
  "it''s-hunter2",
  'hunter2',
  'jaas-S3cret',
  'AKIAsecretKEY',
  'bareAzureKey',
  'in-a-comment',
  'cat-Pass',
  'tok-123',
];

describe('maskSqlSecrets', () => {
  it('stores *** for every credential and keeps everything else', () => {
    const masked = maskSqlSecrets(SCRIPT);
    for (const secret of SECRETS) expect(masked).not.toContain(secret);
    expect(masked).toContain("'url' = 'jdbc:postgresql://app:***@db:5432/shop?sslmode=require&password=***'");
    expect(masked).toContain("'username' = 'app'");
    expect(masked).toContain("'password' = '***'");
    expect(masked).toContain('SET fs.azure.account.key = ***;');
  });

  it('with preserveLayout keeps every line and column (the parser reports positions in it)', () => {
    const masked = maskSqlSecrets(SCRIPT, true);
    for (const secret of SECRETS) expect(masked).not.toContain(secret);
    expect(masked.length).toBe(SCRIPT.length);
    expect(masked.split('\n').map((l) => l.length)).toEqual(SCRIPT.split('\n').map((l) => l.length));
  });

  it('a parse error next to a secret never quotes it', () => {
    const outcome = analyzeSql(`CREATE TABLE t (a INT) WITH ('password' = 'hunter2' 'x' = 'y');`);
    expect(outcome.ok).toBe(false);
    expect(JSON.stringify(outcome)).not.toContain('hunter2');
  });
});

describe('redactJson (plans)', () => {
  it('replaces secret option values anywhere in the document, and URL credentials', () => {
    const plan = {
      nodes: [
        { options: { connector: 'jdbc', password: 'p1', url: 'mysql://u:p2@h/db', 'key.format': 'raw' } },
      ],
    };
    expect(redactJson(plan)).toEqual({
      nodes: [
        { options: { connector: 'jdbc', password: '***', url: 'mysql://u:***@h/db', 'key.format': 'raw' } },
      ],
    });
  });
});

describe('maskPlanText (what Flink printed)', () => {
  // An OPTIONS hint as EXPLAIN prints it (RelHint of a Java Map) and as a job graph's description carries it.
  const HINT =
    'TableSourceScan(table=[[default_catalog, default_database, orders]], fields=[id, amount], hints=[[[OPTIONS options:{scan.startup.mode=latest-offset, password=hunter2, properties.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p2";, key.format=raw}]]])';

  it('masks the secret entries of a printed option map and keeps the others', () => {
    expect(maskPlanText(HINT)).toBe(
      'TableSourceScan(table=[[default_catalog, default_database, orders]], fields=[id, amount], hints=[[[OPTIONS options:{scan.startup.mode=latest-offset, password=***, properties.sasl.jaas.config=***, key.format=raw}]]])',
    );
  });

  it('with preserveLayout keeps the length of every line', () => {
    const text = `== Optimized Execution Plan ==\n${HINT}\n+- Sink(table=[t], url=[jdbc:mysql://app:S3cret@db/x])`;
    const masked = maskPlanText(text, true);
    expect(masked.split('\n').map((l) => l.length)).toEqual(text.split('\n').map((l) => l.length));
    for (const secret of ['hunter2', 'p2', 'S3cret']) expect(masked).not.toContain(secret);
    expect(masked).toContain('scan.startup.mode=latest-offset');
  });

  it('redactJson masks them inside a plan’s strings (job graph descriptions)', () => {
    const masked = JSON.stringify(redactJson({ nodes: [{ description: `[1]:${HINT}<br/>` }] }));
    expect(masked).toContain('password=***');
    expect(masked).not.toContain('hunter2');
  });
});
