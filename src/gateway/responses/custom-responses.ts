/**
 * A REST API's custom gateway responses (api-gateway-gatewayResponse-definition.md, supported-gateway-response-types.md)
 * applied to the built-in answer of `gatewayError`. Which response applies: the type's own, else `DEFAULT_4XX` or
 * `DEFAULT_5XX` by the built-in status (the family's status, headers and templates replace the defaults of every
 * type of that family without one of its own), else the built-in answer (aws-behaviour.md §4.1).
 *
 * Header values (`ResponseParameters`) are `'literal'`, `method.request.header|querystring|path.<name>` or
 * `stageVariables.<name>`. Templates are not VTL: AWS substitutes `$context` variables and `$stageVariables`, so
 * `$context.error.messageString` (the message as a quoted JSON string), `$context.error.message`,
 * `$context.error.responseType`, `$context.requestId` … are replaced here; an unknown variable renders empty.
 */
import type { GatewayResponseSpec } from '../../app/model.js';
import { clfTime, rawHeader } from '../events/common.js';
import type { GatewayResponse, RequestIds } from '../events/request.js';
import type { GatewayErrorType } from './gateway-responses.js';

/** The request an error answers, as far as templates and header mappings can see it. */
export interface ErrorRequest {
  readonly method: string;
  /** The raw request path, stage included when addressed by path. */
  readonly path: string;
  readonly rawHeaders: readonly string[];
  readonly rawQueryString: string;
  readonly pathParameters: Readonly<Record<string, string>> | null;
  readonly sourceIp: string;
  readonly requestTimeEpoch: number;
  readonly protocol: string;
  readonly apiId: string;
  readonly stage: string;
  readonly stageVariables: Readonly<Record<string, string>> | null;
  /** The matched resource path, when a route matched. */
  readonly resourcePath: string | undefined;
}

/** The custom responses of one API, by response type; compiled once per deployment. */
export type CustomResponses = ReadonlyMap<string, GatewayResponseSpec>;

export function compileCustomResponses(table: Readonly<Record<string, GatewayResponseSpec>> | undefined): CustomResponses | undefined {
  if (table === undefined || Object.keys(table).length === 0) return undefined;
  return new Map(Object.entries(table));
}

/** Errors of Portico's own table that are no gateway response type: only their family's response applies. */
const FAMILY_ONLY = new Set<GatewayErrorType>(['LAMBDA_FUNCTION_ERROR', 'MALFORMED_LAMBDA_RESPONSE', 'LAMBDA_REQUEST_TOO_LARGE']);

/** The built-in answer with the API's custom response for `type` applied, or unchanged when none applies. */
export function customise(
  builtIn: GatewayResponse,
  type: GatewayErrorType,
  responses: CustomResponses,
  ids: RequestIds,
  request: ErrorRequest,
): GatewayResponse {
  const family = builtIn.statusCode >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
  const own = FAMILY_ONLY.has(type) ? undefined : responses.get(type);
  const custom = own ?? responses.get(family);
  if (custom === undefined) return builtIn;
  const responseType = FAMILY_ONLY.has(type) ? family : type;
  const vars = contextVariables(builtIn, responseType, ids, request);
  let headers = [...builtIn.headers];
  let body = builtIn.body;
  const template = chooseTemplate(custom.templates);
  if (template !== undefined) {
    body = Buffer.from(renderTemplate(template.body, vars, request.stageVariables), 'utf8');
    headers = withHeader(headers, 'Content-Type', template.contentType);
  }
  for (const [name, expression] of Object.entries(custom.headers)) {
    const value = headerValue(expression, request);
    if (value !== undefined) headers = withHeader(headers, name, value);
  }
  return { statusCode: custom.statusCode ?? builtIn.statusCode, headers, body };
}

/** `application/json` when there is one (what API Gateway falls back to), else the first template. */
function chooseTemplate(templates: Readonly<Record<string, string>>): { contentType: string; body: string } | undefined {
  const json = templates['application/json'];
  if (json !== undefined) return { contentType: 'application/json', body: json };
  const first = Object.entries(templates)[0];
  return first === undefined ? undefined : { contentType: first[0], body: first[1] };
}

function withHeader(headers: readonly string[], name: string, value: string): string[] {
  const lower = name.toLowerCase();
  const out: string[] = [];
  for (let i = 0; i < headers.length; i += 2) if (headers[i]!.toLowerCase() !== lower) out.push(headers[i]!, headers[i + 1]!);
  out.push(name, value);
  return out;
}

/** `'literal'`, `method.request.<where>.<name>` or `stageVariables.<name>`; undefined when the source is absent. */
function headerValue(expression: string, request: ErrorRequest): string | undefined {
  const literal = /^'(.*)'$/s.exec(expression);
  if (literal) return literal[1];
  const variable = /^stageVariables\.(.+)$/.exec(expression);
  if (variable) return request.stageVariables?.[variable[1]!];
  const param = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(expression);
  if (!param) return undefined;
  const [, where, name] = param as unknown as [string, string, string];
  if (where === 'header') return rawHeader(request.rawHeaders, name.toLowerCase());
  if (where === 'path') return request.pathParameters?.[name];
  const values = new URLSearchParams(request.rawQueryString).getAll(name);
  return values.length > 0 ? values[values.length - 1] : undefined;
}

/** The error's message as the built-in body carries it (`{"message":"…"}`, `{"Message":"…"}` or plain text). */
function messageOf(builtIn: GatewayResponse): string | null {
  const text = builtIn.body.toString('utf8');
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed !== null && typeof parsed === 'object') {
      const record = parsed as Record<string, unknown>;
      const message = record.message ?? record.Message;
      return typeof message === 'string' ? message : null;
    }
  } catch {
    // Not JSON (REQUEST_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE): the text is the message.
  }
  return text;
}

function contextVariables(builtIn: GatewayResponse, responseType: string, ids: RequestIds, request: ErrorRequest): ReadonlyMap<string, string> {
  const message = messageOf(builtIn);
  return new Map([
    ['accountId', ids.accountId],
    ['apiId', request.apiId],
    ['domainName', ids.domainName],
    ['domainPrefix', ids.domainPrefix],
    ['error.message', message ?? ''],
    ['error.messageString', JSON.stringify(message)],
    ['error.responseType', responseType],
    ['error.validationErrorString', ''],
    ['extendedRequestId', ids.extendedRequestId],
    ['httpMethod', request.method],
    ['identity.sourceIp', request.sourceIp],
    ['identity.userAgent', rawHeader(request.rawHeaders, 'user-agent') ?? ''],
    ['path', request.path],
    ['protocol', request.protocol],
    ['requestId', ids.requestId],
    ['requestTime', clfTime(request.requestTimeEpoch)],
    ['requestTimeEpoch', String(request.requestTimeEpoch)],
    ['resourcePath', request.resourcePath ?? ''],
    ['stage', request.stage],
  ]);
}

/** `$context.a.b`, `${context.a.b}`, `$stageVariables.x`, `${stageVariables.x}` (and the quiet `$!` forms). */
const VARIABLE = /\$!?(?:\{(context|stageVariables)\.([A-Za-z0-9_.]+)\}|(context|stageVariables)\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*))/g;

export function renderTemplate(template: string, context: ReadonlyMap<string, string>, stageVariables: Readonly<Record<string, string>> | null): string {
  return template.replace(VARIABLE, (_match, braced?: string, bracedName?: string, bare?: string, bareName?: string) => {
    const scope = braced ?? bare;
    const name = bracedName ?? bareName ?? '';
    return (scope === 'context' ? context.get(name) : stageVariables?.[name]) ?? '';
  });
}
