/**
 * The platform lines Lambda writes around every invocation (aws-behaviour.md §9.3): tab-separated, a trailing tab
 * before the newline on REPORT, `Init Duration` on cold starts only.
 */
export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}\n`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}\n`;
}

export function initStartLine(runtimeVersion: string, runtimeVersionArn: string): string {
  return `INIT_START Runtime Version: ${runtimeVersion}\tRuntime Version ARN: ${runtimeVersionArn}\n`;
}

export interface ReportFigures {
  readonly requestId: string;
  readonly durationMs: number;
  readonly memorySizeMb: number;
  readonly maxMemoryUsedBytes: number;
  /** Present on the invocation that started the environment. */
  readonly initDurationMs?: number;
  /** `timeout` or `error` when the invocation did not end normally (Lambda adds `Status:` then). */
  readonly status?: 'timeout' | 'error';
}

export function reportLine(f: ReportFigures): string {
  const fields = [
    `REPORT RequestId: ${f.requestId}`,
    `Duration: ${f.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${billedDurationMs(f.durationMs, f.initDurationMs)} ms`,
    `Memory Size: ${f.memorySizeMb} MB`,
    `Max Memory Used: ${Math.max(1, Math.ceil(f.maxMemoryUsedBytes / 1_048_576))} MB`,
  ];
  if (f.initDurationMs !== undefined) fields.push(`Init Duration: ${f.initDurationMs.toFixed(2)} ms`);
  if (f.status) fields.push(`Status: ${f.status}`);
  return `${fields.join('\t')}\t\n`;
}

/**
 * Billed duration is rounded up to the millisecond. Since 1 August 2025 Lambda bills the INIT phase of on-demand
 * cold starts for managed runtimes too, so it is added before rounding (as custom runtimes always were:
 * Init 1293.83 ms + Duration 1049.63 ms → Billed 2344 ms).
 */
function billedDurationMs(durationMs: number, initDurationMs = 0): number {
  // From the figures as the line prints them (hundredths), summed as integers: the REPORT line adds up for a reader,
  // and 10.004 + 11.003 ms does not bill 22 ms next to a printed 10.00 + 11.00.
  const hundredths = Math.round(durationMs * 100) + Math.round(initDurationMs * 100);
  return Math.max(1, Math.ceil(hundredths / 100));
}

/** `Task timed out after 3.00 seconds`, as the platform logs it before END. */
export function timeoutLine(requestId: string, timeoutSeconds: number): string {
  return `${new Date().toISOString()} ${requestId} Task timed out after ${timeoutSeconds.toFixed(2)} seconds\n`;
}
