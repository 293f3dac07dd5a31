/** One finding about a plan, as the Estimate carries it (codes: warnings.ts). */
import type { EstimateWarning } from '../schemas/estimate.js';
import type { WarningCode } from './warnings.js';

export function warn(
  code: WarningCode,
  severity: EstimateWarning['severity'],
  message: string,
  advice: string,
  operatorId?: string,
): EstimateWarning {
  return { code, severity, message, advice, ...(operatorId !== undefined ? { operatorId } : {}) };
}
