import { Worker } from 'node:worker_threads';
import type { SqlIntakeOutcome } from './types.js';

/**
 * One worker thread running the SQL analysis (sql-worker.ts), started on first use, restarted after a crash or a timeout, and stopped after `idleMs` without a script:
 * loaded and warm it holds about 60 MiB (the grammar's code and its ATN/DFA caches), which an
 * instance that sees a script now and then should not keep; the first script after a pause waits
 * for it to load again (about a second of CPU). Requests queue in the worker in order; each has a
 * time limit, after which the worker is terminated (a pathological script cannot hold it) and the
 * caller gets a `ParseTimeout`.
 *
 * From the build (dist/), the worker is the esbuild bundle next to this file; from the sources
 * (tsx, vitest) it is the TypeScript module, loaded through tsx's ESM hooks, which plain worker
 * threads do not inherit.
 */

export class ParseTimeout extends Error {}
export class ParseFailure extends Error {}

type Pending = { resolve: (o: SqlIntakeOutcome) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

export interface ParserPoolOptions {
  /** Longest a parse may take, ms. */
  timeoutMs: number;
  /** How long the worker stays without a script before it is stopped, ms. */
  idleMs: number;
  /** Called with what went wrong in the worker (never script text). */
  onError?: (message: string) => void;
}

export function workerEntry(): { code: string; eval: true } | { url: URL; eval: false } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const entry = new URL('./sql-worker.ts', here).href;
    return {
      eval: true,
      code: `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`,
    };
  }
  return { eval: false, url: new URL('./sql-worker.bundle.mjs', here) };
}

export class ParserPool {
  private worker: Worker | undefined;
  /** Settles once the worker has loaded the parser (its modules import in seconds on a busy machine). */
  private ready: Promise<void> | undefined;
  private notReady: ((error: Error) => void) | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ParserPoolOptions) {}

  /** Whether the worker thread is there (loaded or loading). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  private start(): { worker: Worker; ready: Promise<void> } {
    if (this.worker && this.ready) return { worker: this.worker, ready: this.ready };
    const entry = workerEntry();
    const worker = entry.eval ? new Worker(entry.code, { eval: true }) : new Worker(entry.url);
    worker.unref();
    let loaded: () => void = () => {};
    this.ready = new Promise<void>((resolve, reject) => {
      loaded = resolve;
      this.notReady = reject;
    });
    // Nobody may be waiting yet: the caller awaiting it hears of a failure.
    this.ready.catch(() => {});
    worker.on(
      'message',
      (message: { id: number; ready?: true; outcome?: SqlIntakeOutcome; failure?: string }) => {
        if (message.ready) {
          loaded();
          return;
        }
        const pending = this.pending.get(message.id);
        if (!pending) return;
        this.pending.delete(message.id);
        clearTimeout(pending.timer);
        if (message.outcome) pending.resolve(message.outcome);
        else pending.reject(new ParseFailure(message.failure ?? 'The SQL analysis failed.'));
        if (this.pending.size === 0) this.stopWhenIdle(worker);
      },
    );
    worker.on('error', (error) => {
      this.options.onError?.(`SQL parser worker failed: ${error.name}`);
      this.fail(new ParseFailure('The SQL parser stopped unexpectedly.'), worker);
    });
    worker.on('exit', () => this.fail(new ParseFailure('The SQL parser stopped unexpectedly.'), worker));
    this.worker = worker;
    return { worker, ready: this.ready };
  }

  private fail(error: Error, worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.ready = undefined;
    this.notReady?.(error);
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
      this.pending.delete(id);
    }
  }

  /** Analyses a script in the worker. */
  async analyze(sql: string): Promise<SqlIntakeOutcome> {
    if (this.closed) throw new ParseFailure('The SQL parser is shut down.');
    clearTimeout(this.idleTimer);
    const { worker, ready } = this.start();
    // The time limit is for the analysis, not for loading the worker.
    await ready;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ParseTimeout(`The SQL analysis took longer than ${this.options.timeoutMs} ms.`));
        // The worker may be stuck in this script: replace it.
        this.fail(new ParseTimeout('The SQL parser was restarted after a timeout.'), worker);
        void worker.terminate();
      }, this.options.timeoutMs);
      timer.unref();
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage({ id, sql });
    });
  }

  /** Stops the worker once `idleMs` pass without another script (`analyze` cancels this). */
  private stopWhenIdle(worker: Worker): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.worker !== worker || this.pending.size > 0) return;
      // Forgotten first, so its exit is not reported as a crash.
      this.worker = undefined;
      this.ready = undefined;
      void worker.terminate();
    }, this.options.idleMs);
    this.idleTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    if (worker) {
      this.fail(new ParseFailure('The SQL parser is shut down.'), worker);
      await worker.terminate();
    }
  }
}
