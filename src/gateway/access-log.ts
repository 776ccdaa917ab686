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
 * the response has gone out.
 */
export class AccessLog {
  constructor(private readonly logs: LogStore) {}

  prepare(apiId: string, stage: string): void {
    this.logs.prepareGroup(groupName(apiId, stage));
  }

  write(record: AccessRecord): void {
    this.logs.write(groupName(record.apiId, record.stage), 'access', `${JSON.stringify(record)}\n`);
  }
}

function groupName(apiId: string, stage: string): string {
  return `/aws/apigateway/${apiId}/${stage === '$default' ? 'default' : stage}/access`;
}
