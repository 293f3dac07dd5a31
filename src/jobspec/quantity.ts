/**
 * Kubernetes resource quantities ("32Gi", "32G", "32768Mi", "1.5Gi", "64e9"), parsed exactly
 * into bytes with integer arithmetic.
 *
 * Grammar from k8s.io/apimachinery `pkg/api/resource/quantity.go`: a signed decimal number, then
 * a binary suffix (Ki Mi Gi Ti Pi Ei, powers of 1024), a decimal suffix (k M G T P E, powers of
 * 1000; "m" is thousandths) or a decimal exponent (e3, E-2). A fractional number of bytes rounds
 * up, as `Quantity.Value()` does.
 */

const BINARY: Readonly<Record<string, bigint>> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};
const DECIMAL: Readonly<Record<string, number>> = { '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

const QUANTITY = /^([+-]?)(\d+\.?\d*|\.\d+)(?:([KMGTPE]i)|([eE][+-]?\d+)|([kMGTPEm]?))$/;

export class QuantityParseError extends Error {
  override readonly name = 'QuantityParseError';
}

/** Why a text that is not a Kubernetes quantity was probably written, for the error message. */
function hint(text: string): string {
  const flink = /^\s*\d+\s*([kmgt])(b|i)?\s*$/i.exec(text);
  if (flink?.[1] !== undefined) {
    const unit = flink[1].toUpperCase();
    return `"${text}" is not a Kubernetes quantity; write the binary unit with a capital and an i, e.g. "${text.replace(/\s|[kmgtbi]+\s*$/gi, '')}${unit}i"`;
  }
  return `"${text}" is not a Kubernetes quantity (a number and a unit such as Gi or Mi, e.g. "32Gi", "32G", "32768Mi")`;
}

/** The exact number of bytes of a Kubernetes memory quantity; throws QuantityParseError. */
export function parseKubernetesQuantityBytes(text: string): bigint {
  const match = QUANTITY.exec(text);
  if (match === null) throw new QuantityParseError(hint(text));
  const [, sign = '', number = '', binary, exponent, decimal] = match;
  if (decimal === 'm') {
    throw new QuantityParseError(
      `"${text}": the suffix m means thousandths in a Kubernetes quantity; for mebibytes write Mi`,
    );
  }
  const [whole = '', fraction = ''] = number.split('.');
  // value = digits × 10^power10 × multiplier, with digits an integer.
  const digits = BigInt(`${whole}${fraction}` || '0');
  let power10 = -fraction.length;
  let multiplier = 1n;
  if (binary !== undefined) multiplier = BINARY[binary] ?? 1n;
  else if (exponent !== undefined) power10 += Number(exponent.slice(1));
  else power10 += DECIMAL[decimal ?? ''] ?? 0;
  if (sign === '-' && digits > 0n) throw new QuantityParseError(`"${text}" is negative`);
  if (Math.abs(power10) > 40) throw new QuantityParseError(`"${text}" is out of range`);
  const scaled = digits * multiplier;
  if (power10 >= 0) return scaled * 10n ** BigInt(power10);
  const divisor = 10n ** BigInt(-power10);
  return (scaled + divisor - 1n) / divisor;
}
