import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../../src/web/forms/flink-options.js';

describe('parseConfigText', () => {
  it('reads key: value and key=value lines, skipping comments and unquoting values', () => {
    expect(parseConfigText("# c\na.b: 1g\n\nc.d=2  # trailing\ne: 'x y'")).toEqual({
      config: { 'a.b': '1g', 'c.d': '2', e: 'x y' },
      errors: [],
    });
  });

  it('flattens Flink 1.19+ nested config.yaml into Flink’s flat keys', () => {
    const text = [
      'taskmanager:',
      '  numberOfTaskSlots: 4',
      '  memory:',
      '    process:',
      '      size: 4096m',
      '    managed.fraction: 0.5',
      'env.java.opts.all: -XX:+UseG1GC',
      'pipeline.jars: [a.jar, b.jar]',
    ].join('\n');
    expect(parseConfigText(text)).toEqual({
      config: {
        'taskmanager.numberOfTaskSlots': '4',
        'taskmanager.memory.process.size': '4096m',
        'taskmanager.memory.managed.fraction': '0.5',
        'env.java.opts.all': '-XX:+UseG1GC',
        'pipeline.jars': 'a.jar;b.jar',
      },
      errors: [],
    });
  });

  it('keeps the last of repeated keys, as Flink does', () => {
    expect(parseConfigText('a.b: 1g\na.b: 2g').config).toEqual({ 'a.b': '2g' });
  });

  it('names the line it cannot read', () => {
    expect(parseConfigText('a.b: 1g\nthis is not an option').errors).toEqual([
      'Line 2: expected "key: value", "key=value" or nested YAML, got "this is not an option"',
    ]);
    expect(parseConfigText('\njust words').errors).toEqual([
      'Line 2: expected "key: value", "key=value" or nested YAML, got "just words"',
    ]);
  });

  it('reads an empty paste as no options', () => {
    expect(parseConfigText('# only a comment\n')).toEqual({ config: {}, errors: [] });
  });
});
