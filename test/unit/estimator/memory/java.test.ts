import { describe, expect, it } from 'vitest';
import {
  javaDoubleToString,
  javaFloatToString,
  javaFormatFixed,
  parseJavaDouble,
  parseJavaFloat,
  parseJavaInt,
} from '../../../../src/estimator/memory/java.js';

function nfe(parse: (text: string) => number, text: string): string {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof Error && error.name === 'NumberFormatException') return error.message;
    throw error;
  }
  throw new Error(`'${text}' parsed`);
}

describe('parseJavaFloat (Float.parseFloat, widened to double)', () => {
  it('widens 0.1f and 0.4f exactly as Java does', () => {
    expect(parseJavaFloat('0.1')).toBe(0.10000000149011612);
    expect(parseJavaFloat('0.4')).toBe(0.4000000059604645);
  });

  it('accepts Java spellings: spaces, exponent, leading point, sign, type suffix, hex, NaN, Infinity', () => {
    expect(parseJavaFloat(' 0.1 ')).toBe(parseJavaFloat('0.1'));
    expect(parseJavaFloat('1e-1')).toBe(parseJavaFloat('0.1'));
    expect(parseJavaFloat('.5')).toBe(0.5);
    expect(parseJavaFloat('5.')).toBe(5);
    expect(parseJavaFloat('+0.25')).toBe(0.25);
    expect(parseJavaFloat('0.25f')).toBe(0.25);
    expect(parseJavaFloat('0.25D')).toBe(0.25);
    expect(parseJavaFloat('0x1p-3')).toBe(0.125);
    expect(parseJavaFloat('0x.8p1')).toBe(1);
    expect(parseJavaFloat('NaN')).toBeNaN();
    expect(parseJavaFloat('-Infinity')).toBe(Number.NEGATIVE_INFINITY);
    expect(Object.is(parseJavaFloat('-0'), -0)).toBe(true);
    expect(parseJavaFloat('1e39')).toBe(Number.POSITIVE_INFINITY);
    expect(parseJavaFloat('1e-50')).toBe(0);
  });

  it('rounds the decimal directly to float (no double rounding)', () => {
    // 1 + 2^-24 + 2^-60: a double rounds it to 1 + 2^-24 (a float tie → 1), Java rounds up.
    const text = '1.00000005960464477539930365121';
    expect(parseJavaFloat(text)).toBe(1 + 2 ** -23);
    expect(Math.fround(Number(text))).toBe(1);
  });

  it('rejects what Java rejects, with Java’s messages', () => {
    expect(nfe(parseJavaFloat, 'abc')).toBe('For input string: "abc"');
    expect(nfe(parseJavaFloat, ' 1,5 ')).toBe('For input string: "1,5"');
    expect(nfe(parseJavaFloat, '')).toBe('empty String');
    expect(nfe(parseJavaFloat, '1.2.3')).toBe('multiple points');
    expect(nfe(parseJavaFloat, '0x10')).toBe('For input string: "0x10"');
    expect(nfe(parseJavaFloat, '1e')).toBe('For input string: "1e"');
    expect(nfe(parseJavaFloat, '.')).toBe('For input string: "."');
    expect(nfe(parseJavaFloat, 'nan')).toBe('For input string: "nan"');
    expect(nfe(parseJavaFloat, '0.1ff')).toBe('For input string: "0.1ff"');
  });
});

describe('parseJavaDouble and parseJavaInt', () => {
  it('parses doubles as Double.parseDouble does', () => {
    expect(parseJavaDouble('2')).toBe(2);
    expect(parseJavaDouble('0.1')).toBe(0.1);
    expect(parseJavaDouble('1.5d')).toBe(1.5);
    expect(nfe(parseJavaDouble, '2 cores')).toBe('For input string: "2 cores"');
  });

  it('parses ints as Integer.parseInt does: no trimming, 32-bit range, Unicode digits', () => {
    expect(parseJavaInt('4')).toBe(4);
    expect(parseJavaInt('+4')).toBe(4);
    expect(parseJavaInt('-1')).toBe(-1);
    expect(parseJavaInt('2147483647')).toBe(2147483647);
    expect(parseJavaInt('-2147483648')).toBe(-2147483648);
    expect(parseJavaInt('\u0664')).toBe(4);
    expect(nfe(parseJavaInt, '2147483648')).toBe('For input string: "2147483648"');
    expect(nfe(parseJavaInt, ' 4')).toBe('For input string: " 4"');
    expect(nfe(parseJavaInt, '4.0')).toBe('For input string: "4.0"');
    expect(nfe(parseJavaInt, '')).toBe('For input string: ""');
    expect(nfe(parseJavaInt, '-')).toBe('For input string: "-"');
  });
});

describe('Java number printing', () => {
  it('Double.toString: plain between 10^-3 and 10^7, scientific outside, always a fraction digit', () => {
    expect(javaDoubleToString(1)).toBe('1.0');
    expect(javaDoubleToString(0.6000000238418579)).toBe('0.6000000238418579');
    expect(javaDoubleToString(-0.10000000149011612)).toBe('-0.10000000149011612');
    expect(javaDoubleToString(0.001)).toBe('0.001');
    expect(javaDoubleToString(0.0001)).toBe('1.0E-4');
    expect(javaDoubleToString(1e7)).toBe('1.0E7');
    expect(javaDoubleToString(1234567)).toBe('1234567.0');
    expect(javaDoubleToString(12345678.9)).toBe('1.23456789E7');
    expect(javaDoubleToString(Number.NaN)).toBe('NaN');
    expect(javaDoubleToString(Number.POSITIVE_INFINITY)).toBe('Infinity');
    expect(javaDoubleToString(-0)).toBe('-0.0');
  });

  it('Float.toString prints the shortest float decimal', () => {
    expect(javaFloatToString(Math.fround(0.1))).toBe('0.1');
    expect(javaFloatToString(Math.fround(0.4))).toBe('0.4');
  });

  it('String.format("%.3f") rounds the shortest decimal half up', () => {
    expect(javaFormatFixed(1.6875, 3)).toBe('1.688');
    expect(javaFormatFixed(0.0625, 3)).toBe('0.063');
    expect(javaFormatFixed(8388608, 3)).toBe('8388608.000');
    expect(javaFormatFixed(0.0004, 3)).toBe('0.000');
    expect(javaFormatFixed(0.0005, 3)).toBe('0.001');
    expect(javaFormatFixed(0.15, 1)).toBe('0.2');
  });
});
