import type { CpuUse } from './cpu-monitor.js';

/** One line of the results table. Values are numbers in `unit`; strings for non-numeric verdicts. */
export interface Row {
  readonly id: string;
  readonly metric: string;
  readonly unit: string;
  readonly portico: number | string;
  readonly baseline?: number | string;
  readonly baselineLabel?: string;
  /** portico / baseline, when both are numbers and the ratio means something. */
  readonly ratio?: number;
  readonly target?: string;
  readonly verdict?: 'PASS' | 'MISS' | 'ERROR' | '';
  readonly note?: string;
}

export interface MeasurementResult {
  readonly id: string;
  readonly title: string;
  readonly rows: Row[];
  /** Raw figures for the JSON file. */
  readonly details: Record<string, unknown>;
  readonly error?: string;
  /** CPU used meanwhile by this benchmark's processes and by everything else on the machine (% of one core). */
  cpu?: CpuUse;
}

export function verdict(pass: boolean): 'PASS' | 'MISS' {
  return pass ? 'PASS' : 'MISS';
}

export function ratio(a: number, b: number): number | undefined {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : undefined;
}
