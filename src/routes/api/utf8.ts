const SLAB_BYTES = 1 << 20;
let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
let used = 0;

/**
 * `text` as UTF-8 bytes, cut from a shared slab as Node's Buffer pool does for small strings.
 * An Estimate's JSON is ~30 KB with a few non-ASCII characters (×, →, ≤), so V8 holds it as a
 * two-byte string. Handed to the socket as a string, or to Buffer.from, Node first reserves the
 * worst case (3 bytes per character, ~90 KB) in a fresh external allocation for every response,
 * and Fastify measures the string's byte length once more for Content-Length; writing into a slab
 * does neither. Each call gets bytes no later call overwrites: a full slab is left to the GC
 * (once the buffers cut from it are gone) and a new one started.
 */
export function utf8(text: string): Buffer {
  // At most 3 UTF-8 bytes per UTF-16 code unit (a surrogate pair, 2 units, makes 4).
  const worst = text.length * 3;
  if (slab.length - used < worst) {
    slab = Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, worst));
    used = 0;
  }
  const start = used;
  const written = slab.write(text, start, 'utf8');
  // The next one starts 8-byte aligned, as in Node's pool.
  used = start + written + ((8 - (written % 8)) % 8);
  return slab.subarray(start, start + written);
}
