/**
 * Custom gateway responses of a REST API (api-gateway-gatewayResponse-definition.md), from the OpenAPI body's
 * `x-amazon-apigateway-gateway-responses`, SAM's `GatewayResponses` on `AWS::Serverless::Api`
 * (`ResponseParameters.Headers/Paths/QueryStrings`, `ResponseTemplates`, `StatusCode`; SAM writes them into that
 * extension, so they win over the body's for the same type) and `AWS::ApiGateway::GatewayResponse` resources
 * (`gatewayresponse.header.X` parameters) naming the API.
 * Only header parameters reach the client; path and query-string parameters are accepted and have nothing to change.
 */

import type { ApiSpec, GatewayResponseSpec } from '../model.js';
import { TemplateError } from '../model.js';
import { apiIdFor } from './naming.js';
import { child, describe, isRecord, optionalRecord, requireRecord, scalarText, stringMap, type JsonRecord } from './values.js';

/** The response types API Gateway lets an API customise (supported-gateway-response-types.md). */
const RESPONSE_TYPES = new Set([
  'ACCESS_DENIED', 'API_CONFIGURATION_ERROR', 'AUTHORIZER_CONFIGURATION_ERROR', 'AUTHORIZER_FAILURE', 'BAD_REQUEST_BODY',
  'BAD_REQUEST_PARAMETERS', 'DEFAULT_4XX', 'DEFAULT_5XX', 'EXPIRED_TOKEN', 'INTEGRATION_FAILURE', 'INTEGRATION_TIMEOUT',
  'INVALID_API_KEY', 'INVALID_SIGNATURE', 'MISSING_AUTHENTICATION_TOKEN', 'QUOTA_EXCEEDED', 'REQUEST_TOO_LARGE',
  'RESOURCE_NOT_FOUND', 'THROTTLED', 'UNAUTHORIZED', 'UNSUPPORTED_MEDIA_TYPE', 'WAF_FILTERED',
]);
const SAM_FIELDS = new Set(['ResponseParameters', 'ResponseTemplates', 'StatusCode']);
const HEADER_PREFIX = 'gatewayresponse.header.';

type ResponseTable = Record<string, GatewayResponseSpec>;

/** SAM `GatewayResponses`, by response type. */
export function samGatewayResponses(value: unknown, at: string): ResponseTable {
  const table: ResponseTable = {};
  for (const [type, raw] of Object.entries(optionalRecord(value, at))) {
    const here = child(at, type);
    checkType(type, here);
    const props = requireRecord(raw, here);
    const unknown = Object.keys(props).find((key) => !SAM_FIELDS.has(key));
    if (unknown !== undefined) throw new TemplateError(`is not a gateway response property; use ${[...SAM_FIELDS].join(', ')}`, child(here, unknown));
    const params = optionalRecord(props.ResponseParameters, child(here, 'ResponseParameters'));
    table[type] = {
      statusCode: statusOf(props.StatusCode, child(here, 'StatusCode')),
      headers: stringMap(params.Headers, child(child(here, 'ResponseParameters'), 'Headers')),
      templates: stringMap(props.ResponseTemplates, child(here, 'ResponseTemplates')),
    };
  }
  return table;
}

/** The OpenAPI body's `x-amazon-apigateway-gateway-responses`, best effort like the rest of the body: malformed entries are skipped. */
export function definitionGatewayResponses(definition: unknown): ResponseTable {
  const table: ResponseTable = {};
  const extension = isRecord(definition) ? definition['x-amazon-apigateway-gateway-responses'] : undefined;
  if (!isRecord(extension)) return table;
  for (const [type, raw] of Object.entries(extension)) {
    if (!RESPONSE_TYPES.has(type) || !isRecord(raw)) continue;
    const status = Number(raw.statusCode);
    table[type] = {
      statusCode: Number.isInteger(status) && status >= 100 && status <= 599 ? status : undefined,
      headers: headersOfExtension(raw.responseParameters),
      templates: isRecord(raw.responseTemplates) ? onlyStrings(raw.responseTemplates) : {},
    };
  }
  return table;
}

function headersOfExtension(value: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!isRecord(value)) return headers;
  for (const [key, expression] of Object.entries(onlyStrings(value))) if (key.startsWith(HEADER_PREFIX)) headers[key.slice(HEADER_PREFIX.length)] = expression;
  return headers;
}

function onlyStrings(record: JsonRecord): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** An `AWS::ApiGateway::GatewayResponse` resource, resolved. */
export interface GatewayResponseResource {
  readonly logicalId: string;
  readonly props: JsonRecord;
}

/** The APIs with the `AWS::ApiGateway::GatewayResponse` resources that name them (by `!Ref`) added. */
export function withGatewayResponseResources(apis: readonly ApiSpec[], resources: readonly GatewayResponseResource[], stackName: string): ApiSpec[] {
  const added = new Map<string, ResponseTable>();
  for (const { logicalId, props } of resources) {
    const at = `Resources.${logicalId}.Properties`;
    const api = apis.find((a) => a.kind === 'REST' && (a.apiId === props.RestApiId || apiIdFor(stackName, a.logicalId) === props.RestApiId));
    // A response for a plain AWS::ApiGateway::RestApi belongs to an API Portico does not serve.
    if (!api) continue;
    const type = scalarText(props.ResponseType, child(at, 'ResponseType'));
    checkType(type, child(at, 'ResponseType'));
    const table = added.get(api.apiId) ?? {};
    table[type] = {
      statusCode: statusOf(props.StatusCode, child(at, 'StatusCode')),
      headers: headerParameters(props.ResponseParameters, child(at, 'ResponseParameters')),
      templates: stringMap(props.ResponseTemplates, child(at, 'ResponseTemplates')),
    };
    added.set(api.apiId, table);
  }
  return apis.map((api) => {
    const table = added.get(api.apiId);
    return table ? { ...api, gatewayResponses: { ...api.gatewayResponses, ...table } } : api;
  });
}

/** `gatewayresponse.header.Access-Control-Allow-Origin` → `Access-Control-Allow-Origin`; path and query-string ones are dropped. */
function headerParameters(value: unknown, at: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, expression] of Object.entries(stringMap(value, at))) {
    if (key.startsWith(HEADER_PREFIX)) headers[key.slice(HEADER_PREFIX.length)] = expression;
    else if (!/^gatewayresponse\.(path|querystring)\./.test(key)) {
      throw new TemplateError('must be gatewayresponse.header.<name>, gatewayresponse.path.<name> or gatewayresponse.querystring.<name>', child(at, key));
    }
  }
  return headers;
}

function checkType(type: string, at: string): void {
  if (!RESPONSE_TYPES.has(type)) throw new TemplateError(`is not a gateway response type; use one of ${[...RESPONSE_TYPES].join(', ')}`, at);
}

function statusOf(value: unknown, at: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = isRecord(value) ? '' : String(value);
  if (!/^[1-5]\d\d$/.test(text)) throw new TemplateError(`must be an HTTP status code, got ${describe(value)}`, at);
  return Number(text);
}
