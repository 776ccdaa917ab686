import type { LogStore } from '../observability/log-store.js';

/** One request as API Gateway's access logs describe it, with `$context` variable names. */
export interface AccessRecord {
  readonly requestId: string;
  readonly extendedRequestId: string;
  readonly apiId: string;
  readonly stage: string;
  readonly ip: string;
  readonly requestTime: string;
  readonly requestTimeEpoch: number;
  readonly httpMethod: string;
  readonly path: string;
  readonly routeKey: string;
  readonly resourcePath: string;
  readonly protocol: string;
  readonly status: number;
  readonly responseLength: number;
  /** Milliseconds from the first byte received to the last byte sent (`$context.responseLatency`). */
  readonly responseLatency: number;
  /** Milliseconds spent in the integration (`$context.integrationLatency`), '-' when none ran. */
  readonly integrationLatency: number | '-';
  readonly integrationStatus: number | '-';
  readonly errorMessage: string;
  /** `$context.identity.apiKeyId`: present when the request was admitted with an API key. */
  readonly apiKeyId?: string;
}

/**
 * Access logs, one JSON line per request in the log group `/aws/apigateway/<apiId>/<stage>/access`, written after
 * the response has gone out. The line is written by hand, in the record's key order, escaping only the values that
 * need it: this runs for every request.
 */
export class AccessLog {
  /** Group names by API id and stage, built once (and the same string each time, which the log store compares). */
  private readonly groups = new Map<string, Map<string, string>>();

  constructor(private readonly logs: LogStore) {}

  prepare(apiId: string, stage: string): void {
    this.logs.prepareGroup(this.group(apiId, stage));
  }

  write(record: AccessRecord): void {
    const line =
      '{"requestId":' + str(record.requestId) +
      ',"extendedRequestId":' + str(record.extendedRequestId) +
      ',"apiId":' + str(record.apiId) +
      ',"stage":' + str(record.stage) +
      ',"ip":' + str(record.ip) +
      ',"requestTime":' + str(record.requestTime) +
      ',"requestTimeEpoch":' + num(record.requestTimeEpoch) +
      ',"httpMethod":' + str(record.httpMethod) +
      ',"path":' + str(record.path) +
      ',"routeKey":' + str(record.routeKey) +
      ',"resourcePath":' + str(record.resourcePath) +
      ',"protocol":' + str(record.protocol) +
      ',"status":' + num(record.status) +
      ',"responseLength":' + num(record.responseLength) +
      ',"responseLatency":' + num(record.responseLatency) +
      ',"integrationLatency":' + value(record.integrationLatency) +
      ',"integrationStatus":' + value(record.integrationStatus) +
      ',"errorMessage":' + str(record.errorMessage) +
      (record.apiKeyId === undefined ? '' : ',"apiKeyId":' + str(record.apiKeyId)) +
      '}\n';
    this.logs.write(this.group(record.apiId, record.stage), 'access', line);
  }

  private group(apiId: string, stage: string): string {
    let stages = this.groups.get(apiId);
    if (stages === undefined) this.groups.set(apiId, (stages = new Map()));
    let group = stages.get(stage);
    if (group === undefined) stages.set(stage, (group = groupName(apiId, stage)));
    return group;
  }
}

/** What JSON.stringify escapes in a string: quotes, backslashes, control characters, lone surrogates. */
// eslint-disable-next-line no-control-regex -- the control characters are what must be escaped
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON.stringify writes it. */
function str(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : '"' + text + '"';
}

/** A number as JSON.stringify writes it (`null` when not finite). */
function num(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

function value(v: number | string): string {
  return typeof v === 'number' ? num(v) : str(v);
}

function groupName(apiId: string, stage: string): string {
  return `/aws/apigateway/${apiId}/${stage === '$default' ? 'default' : stage}/access`;
}
