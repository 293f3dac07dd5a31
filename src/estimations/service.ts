import { LRUCache } from 'lru-cache';
import type { JobSpec } from '../jobspec/index.js';
import type { Estimate } from '../schemas/estimate.js';
import type { EstimationSummary, SavedEstimation, SavedEstimationListItem } from '../schemas/saved.js';
import {
  type EstimationStore,
  type ListQuery,
  type StoredEstimation,
  type StoredEstimationListItem,
  VERSION_CONFLICT,
} from '../store/estimations.js';

/** Computes an estimate for a validated spec with the deployment's model and prices. */
export type EstimateFn = (spec: JobSpec) => Estimate;

export { VERSION_CONFLICT };

/** The numbers a list or comparison shows, taken from an estimate. */
export function summarize(estimate: Estimate): EstimationSummary {
  return {
    flinkVersion: estimate.flinkVersion,
    parallelism: estimate.parallelism.default,
    taskManagers: estimate.taskManagers.count,
    slotsPerTaskManager: estimate.taskManagers.slotsPerTaskManager,
    taskManagerCpu: estimate.taskManagers.cpu,
    taskManagerProcessBytes: estimate.taskManagers.memory.totalProcessMemory,
    totalCores: estimate.cpu.totalCores,
    stateBytes: estimate.state.totalBytes,
    monthlyCost: estimate.cost.monthly,
    currency: estimate.cost.currency,
    warnings: estimate.warnings.length,
  };
}

// The store returns the JSON this service wrote; these casts restate types it already had.
const toSaved = (r: StoredEstimation): SavedEstimation => ({
  id: r.id,
  name: r.name,
  spec: r.spec as JobSpec,
  estimate: r.estimate as Estimate,
  owner: r.owner,
  version: r.version,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

const toListItem = (r: StoredEstimationListItem): SavedEstimationListItem => ({
  id: r.id,
  name: r.name,
  owner: r.owner,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  summary: r.summary as EstimationSummary,
});

/** A page of the list; frozen at run time (pages are shared while cached). */
export interface ListResult {
  items: SavedEstimationListItem[];
  nextCursor: string | null;
}

/**
 * Saving, re-estimating and listing estimations: the one place pages and the API share, so a
 * saved estimation is always the estimate of its stored spec.
 */
export class EstimationService {
  /**
   * Recently listed pages, frozen. Every write goes through this service (one process owns the
   * database file — the Kubernetes base runs one replica on one volume), so a write simply
   * forgets them all.
   */
  private readonly pages = new LRUCache<string, ListResult>({ max: 64 });
  private writes = 0;

  /** Changes with every write: what was read (or rendered) under one value is stale under the next. */
  get dataVersion(): number {
    return this.writes;
  }

  private written(): void {
    this.writes += 1;
    this.pages.clear();
  }

  constructor(
    private readonly store: EstimationStore,
    private readonly estimate: EstimateFn,
  ) {}

  create(input: { name: string; spec: JobSpec; owner?: string | null }): SavedEstimation {
    const estimate = this.estimate(input.spec);
    this.written();
    return toSaved(
      this.store.create({
        name: input.name,
        spec: input.spec,
        estimate,
        summary: summarize(estimate),
        modelVersion: estimate.modelVersion,
        owner: input.owner ?? null,
      }),
    );
  }

  get(id: string): SavedEstimation | undefined {
    const record = this.store.get(id);
    return record ? toSaved(record) : undefined;
  }

  getMany(ids: readonly string[]): SavedEstimation[] {
    return this.store.getMany(ids).map(toSaved);
  }

  /** Renames and/or replaces the spec (re-estimating). `expectedVersion` guards against lost updates. */
  update(
    id: string,
    changes: { name?: string | undefined; spec?: JobSpec | undefined },
    expectedVersion?: number,
  ): SavedEstimation | undefined | typeof VERSION_CONFLICT {
    let estimate: Estimate | undefined;
    if (changes.spec !== undefined) estimate = this.estimate(changes.spec);
    this.written();
    const result = this.store.update(
      id,
      {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.spec !== undefined && estimate
          ? {
              spec: changes.spec,
              estimate,
              summary: summarize(estimate),
              modelVersion: estimate.modelVersion,
            }
          : {}),
      },
      expectedVersion,
    );
    if (result === VERSION_CONFLICT || result === undefined) return result;
    return toSaved(result);
  }

  delete(id: string, expectedVersion?: number): boolean | typeof VERSION_CONFLICT {
    this.written();
    return this.store.delete(id, expectedVersion);
  }

  /** One page; the same object (frozen) while nothing has been written since. */
  list(query: ListQuery): ListResult {
    const key = JSON.stringify([query.limit, query.cursor, query.sort, query.order, query.q, query.owner]);
    const cached = this.pages.get(key);
    if (cached) return cached;
    const page = this.store.list(query);
    const items = page.items.map((r) => {
      const item = toListItem(r);
      Object.freeze(item.summary);
      return Object.freeze(item);
    });
    const result: ListResult = { items, nextCursor: page.nextCursor };
    Object.freeze(items);
    Object.freeze(result);
    this.pages.set(key, result);
    return result;
  }

  count(q?: string, owner?: string): number {
    return this.store.count(q, owner);
  }
}

/** Strong ETag for a saved estimation version. */
export const etagFor = (saved: Pick<SavedEstimation, 'id' | 'version'>) => `"${saved.id}.v${saved.version}"`;

/**
 * The version an If-Match header names for this id, `undefined` for `*` or no header, and
 * `null` when it names something else (which can never match: a 412).
 */
export function versionFromIfMatch(header: string | undefined, id: string): number | undefined | null {
  if (header === undefined || header.trim() === '*') return undefined;
  for (const tag of header.split(',')) {
    const match = /^\s*(?:W\/)?"([^"]*)\.v(\d+)"\s*$/.exec(tag);
    if (match && match[1] === id) return Number(match[2]);
  }
  return null;
}
