import type { Database, Statement } from 'better-sqlite3';
import { newId } from './estimations.js';

/**
 * Calibrations as stored: each is an immutable observation of a running job (the database
 * refuses updates), the answer computed from it, and the saved estimation it was linked to.
 * Nothing here holds a credential or a URL beyond the host name.
 */
export interface StoredCalibration {
  id: string;
  owner: string | null;
  createdAt: string;
  sourceKind: string;
  sourceHost: string | null;
  jobId: string;
  jobName: string;
  modelVersion: string;
  estimationId: string | null;
  observation: unknown;
  result: unknown;
}

export type NewCalibration = Omit<StoredCalibration, 'id' | 'createdAt'>;

interface Row {
  id: string;
  owner: string | null;
  created_at: string;
  source_kind: string;
  source_host: string | null;
  job_id: string;
  job_name: string;
  model_version: string;
  estimation_id: string | null;
  observation: string;
  result: string;
}

const fromRow = (row: Row): StoredCalibration => ({
  id: row.id,
  owner: row.owner,
  createdAt: row.created_at,
  sourceKind: row.source_kind,
  sourceHost: row.source_host,
  jobId: row.job_id,
  jobName: row.job_name,
  modelVersion: row.model_version,
  estimationId: row.estimation_id,
  observation: JSON.parse(row.observation),
  result: JSON.parse(row.result),
});

export class CalibrationStore {
  private readonly insertStatement: Statement;
  private readonly byIdStatement: Statement;
  private readonly byEstimationStatement: Statement;
  private readonly observationsStatement: Statement;
  private readonly observationsOfStatement: Statement;
  private readonly jobStatement: Statement;

  constructor(db: Database) {
    this.insertStatement = db.prepare(`
      INSERT INTO calibrations (id, owner, created_at, source_kind, source_host, job_id, job_name,
                                model_version, estimation_id, observation, result)
      VALUES (@id, @owner, @createdAt, @sourceKind, @sourceHost, @jobId, @jobName,
              @modelVersion, @estimationId, @observation, @result)`);
    this.byIdStatement = db.prepare('SELECT * FROM calibrations WHERE id = ?');
    this.byEstimationStatement = db.prepare(
      'SELECT * FROM calibrations WHERE estimation_id = ? ORDER BY seq DESC LIMIT 1',
    );
    this.observationsStatement = db.prepare('SELECT id, observation, result FROM calibrations ORDER BY seq');
    this.jobStatement = db.prepare(
      'SELECT created_at, result FROM calibrations WHERE job_id = ? AND owner IS ? ORDER BY seq DESC LIMIT 200',
    );
    this.observationsOfStatement = db.prepare(
      'SELECT id, observation, result FROM calibrations WHERE owner IS ? ORDER BY seq',
    );
  }

  /** One owner's earlier calibrations of a Flink job, oldest first (at most the latest 200). */
  ofJob(jobId: string, owner: string | null): Array<{ createdAt: string; result: unknown }> {
    const rows = this.jobStatement.all(jobId, owner) as Array<Pick<Row, 'created_at' | 'result'>>;
    return rows.reverse().map((r) => ({ createdAt: r.created_at, result: JSON.parse(r.result) }));
  }

  create(calibration: NewCalibration, now = new Date()): StoredCalibration {
    const stored: StoredCalibration = { ...calibration, id: newId(), createdAt: now.toISOString() };
    this.insertStatement.run({
      ...stored,
      observation: JSON.stringify(stored.observation),
      result: JSON.stringify(stored.result),
    });
    return stored;
  }

  get(id: string): StoredCalibration | undefined {
    const row = this.byIdStatement.get(id) as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** The latest calibration linked to a saved estimation. */
  latestFor(estimationId: string): StoredCalibration | undefined {
    const row = this.byEstimationStatement.get(estimationId) as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** Every observation with its answer, oldest first: one owner's, or (undefined) everyone's. */
  evidence(owner?: string | null): Array<{ id: string; observation: unknown; result: unknown }> {
    const rows = (
      owner === undefined ? this.observationsStatement.all() : this.observationsOfStatement.all(owner)
    ) as Array<Pick<Row, 'id' | 'observation' | 'result'>>;
    return rows.map((r) => ({
      id: r.id,
      observation: JSON.parse(r.observation),
      result: JSON.parse(r.result),
    }));
  }
}
