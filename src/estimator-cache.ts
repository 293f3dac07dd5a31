/**
 * A bounded memo of the estimator. `estimate` is pure and deterministic for a deployment's model
 * and prices, so the plan for a spec seen recently — a results page reloaded or shared, its
 * downloads, a script polling the API — is reused instead of recomputed, and so is its JSON
 * (a kept plan is frozen, so `jsonBytes` encodes it once).
 * A plan is kept from the second time its spec is asked for: one-off specs (a script sweeping
 * rates) would otherwise only churn the cache and grow the heap. Kept plans are frozen: a caller
 * that tried to change a shared plan would throw, not corrupt it.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { JobSpec } from './jobspec/index.js';
import { jsonBytes } from './json-bytes.js';
import type { Estimate } from './schemas/estimate.js';

/** Longer bodies (large pipelines) are parsed every time rather than kept as keys. */
const MAX_REMEMBERED_BODY = 16 * 1024;

export interface EstimateCacheOptions {
  /** Upper bound on the cached plans' JSON, in bytes (the plans in memory are about as large). */
  maxBytes: number;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export class EstimateCache {
  private readonly entries: LRUCache<string, Estimate>;
  /** Request bodies already answered → the key of their plan (a body is a few kB at most here). */
  private readonly bodies: LRUCache<string, string>;
  /** Digests of specs computed once and not kept (yet). */
  private readonly seenOnce = new LRUCache<string, true>({ max: 4096 });

  constructor(
    private readonly compute: (spec: JobSpec) => Estimate,
    options: EstimateCacheOptions,
  ) {
    this.entries = new LRUCache<string, Estimate>({
      maxSize: Math.max(1, options.maxBytes),
      // A plan larger than the whole budget is computed every time rather than evicting the rest.
      maxEntrySize: Math.max(1, options.maxBytes),
      // The plan's JSON (kept, encoded, by jsonBytes) plus its objects at about twice that; the key
      // is a UTF-16 string.
      sizeCalculation: (estimate, key) => jsonBytes(estimate).length * 3 + key.length * 2,
    });
    this.bodies = new LRUCache<string, string>({
      maxSize: Math.max(1, Math.floor(options.maxBytes / 4)),
      maxEntrySize: MAX_REMEMBERED_BODY * 4,
      sizeCalculation: (key, body) => (body.length + key.length) * 2,
    });
  }

  /**
   * The plan for a validated spec. Zod builds a parsed spec's keys in schema order, so two
   * equivalent specs stringify alike whatever order their senders wrote.
   */
  estimate(spec: JobSpec, body?: string): Estimate {
    const key = JSON.stringify(spec);
    const hit = this.entries.get(key);
    if (hit) {
      this.rememberBody(body, key);
      return hit;
    }
    const estimate = this.compute(spec);
    const digest = createHash('sha256').update(key).digest('base64');
    if (!this.seenOnce.has(digest)) {
      this.seenOnce.set(digest, true);
      return estimate;
    }
    this.seenOnce.delete(digest);
    deepFreeze(estimate);
    this.entries.set(key, estimate);
    this.rememberBody(body, key);
    return estimate;
  }

  private rememberBody(body: string | undefined, key: string): void {
    if (body !== undefined && body.length <= MAX_REMEMBERED_BODY) this.bodies.set(body, key);
  }

  /**
   * The plan for a request body answered before, without parsing or validating it again: the
   * same text always parses to the same spec. Undefined when unknown or evicted.
   */
  forBody(body: string): Estimate | undefined {
    const key = this.bodies.get(body);
    return key === undefined ? undefined : this.entries.get(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
