/**
 * CORS settings of an API resource: `CorsConfiguration` of an `AWS::Serverless::HttpApi` (true, or the fields of
 * AWS::ApiGatewayV2::Api Cors) and `Cors` of an `AWS::Serverless::Api` (an origin string, or SAM's
 * CorsConfiguration object whose values are quoted header values such as `"'GET,POST'"`).
 */

import type { ApiKind, CorsSpec, HttpCorsSpec, RestCorsSpec } from '../model.js';
import { TemplateError } from '../model.js';
import { child, describe, integerIn, isRecord, optionalList, scalarText, type JsonRecord } from './values.js';

const HTTP_FIELDS = ['AllowOrigins', 'AllowMethods', 'AllowHeaders', 'ExposeHeaders', 'MaxAge', 'AllowCredentials'];
const REST_FIELDS = ['AllowOrigin', 'AllowMethods', 'AllowHeaders', 'MaxAge', 'AllowCredentials'];

/** The API's CORS settings, or undefined when the property is absent (or `false` on an HTTP API). */
export function corsOf(kind: ApiKind, props: JsonRecord, path: string): CorsSpec | undefined {
  return kind === 'HTTP'
    ? httpCors(props.CorsConfiguration, child(path, 'CorsConfiguration'))
    : restCors(props.Cors, child(path, 'Cors'));
}

function httpCors(value: unknown, at: string): HttpCorsSpec | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  // SAM: `CorsConfiguration: true` allows every origin and nothing else.
  if (value === true) return { kind: 'HTTP', allowOrigins: ['*'], allowMethods: [], allowHeaders: [], exposeHeaders: [], maxAge: undefined, allowCredentials: false };
  const props = fieldsOf(value, at, HTTP_FIELDS, 'true or a mapping');
  return {
    kind: 'HTTP',
    allowOrigins: textList(props.AllowOrigins, child(at, 'AllowOrigins')),
    allowMethods: textList(props.AllowMethods, child(at, 'AllowMethods')).map((m) => m.toUpperCase()),
    allowHeaders: textList(props.AllowHeaders, child(at, 'AllowHeaders')),
    exposeHeaders: textList(props.ExposeHeaders, child(at, 'ExposeHeaders')),
    // AWS::ApiGatewayV2::Api Cors.MaxAge accepts -1 … 86400 seconds.
    maxAge: props.MaxAge === undefined ? undefined : integerIn(props.MaxAge, child(at, 'MaxAge'), -1, 86_400, 0),
    allowCredentials: flag(props.AllowCredentials, child(at, 'AllowCredentials')),
  };
}

function restCors(value: unknown, at: string): RestCorsSpec | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    return { kind: 'REST', allowOrigin: quoted(value, at), allowMethods: undefined, allowHeaders: undefined, maxAge: undefined, allowCredentials: false };
  }
  const props = fieldsOf(value, at, REST_FIELDS, 'a quoted origin or a mapping');
  if (props.AllowOrigin === undefined) throw new TemplateError('AllowOrigin is required', child(at, 'AllowOrigin'));
  const optional = (field: string): string | undefined => (props[field] === undefined ? undefined : quoted(props[field], child(at, field)));
  return {
    kind: 'REST',
    allowOrigin: quoted(props.AllowOrigin, child(at, 'AllowOrigin')),
    allowMethods: optional('AllowMethods'),
    allowHeaders: optional('AllowHeaders'),
    maxAge: optional('MaxAge'),
    allowCredentials: flag(props.AllowCredentials, child(at, 'AllowCredentials')),
  };
}

function fieldsOf(value: unknown, at: string, fields: readonly string[], what: string): JsonRecord {
  if (!isRecord(value)) throw new TemplateError(`must be ${what}, got ${describe(value)}`, at);
  const unknown = Object.keys(value).find((key) => !fields.includes(key));
  if (unknown !== undefined) throw new TemplateError(`is not a CORS setting; use one of ${fields.join(', ')}`, child(at, unknown));
  return value;
}

function textList(value: unknown, at: string): string[] {
  return optionalList(value, at).map((item, i) => scalarText(item, child(at, i)));
}

function flag(value: unknown, at: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new TemplateError(`must be true or false, got ${describe(value)}`, at);
}

/**
 * REST values are API Gateway header-mapping expressions, where a literal is written in single quotes; an unquoted
 * value would name a request parameter and API Gateway refuses the deployment, so it is refused here too.
 */
function quoted(value: unknown, at: string): string {
  const text = scalarText(value, at);
  if (text.length < 2 || !text.startsWith("'") || !text.endsWith("'")) {
    throw new TemplateError(`must be a value in single quotes, such as "'*'", got ${describe(text)}`, at);
  }
  return text.slice(1, -1);
}
