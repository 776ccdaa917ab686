/**
 * A function's `Events`: `Api` and `HttpApi` events become routes, `DynamoDB` events event source mappings (read by
 * event-source-mappings.ts); every other event type (Schedule, SQS, S3 …)
 * is accepted and counted, so the loader can mention them once instead of failing or warning per event.
 */

import type { ApiKind, RouteSpec } from '../model.js';
import { TemplateError } from '../model.js';
import { apiKeyRequiredOf } from './api-keys.js';
import { eventAuthOf, type EventAuth } from './auth.js';
import { child, describe, integerIn, isRecord, optionalList, optionalRecord, requireRecord, scalarText, type JsonRecord } from './values.js';

/** A route declared by a function event, before it is attached to its API. */
export interface RouteDecl {
  readonly kind: ApiKind;
  /** Resolved `RestApiId`/`ApiId`; undefined means the implicit API. */
  readonly apiRef: unknown;
  /** Property path of `RestApiId`/`ApiId` (or of the event), for error messages. */
  readonly apiRefPath: string;
  readonly route: RouteSpec;
  /** REST: the event's `Auth.ApiKeyRequired`, overriding the API's; undefined when the event does not say. */
  readonly apiKeyRequired?: boolean;
  /** The event's `Auth`, resolved against its API's authorizers once the API is known. */
  readonly auth?: EventAuth;
}

export interface FunctionEvents {
  readonly routes: readonly RouteDecl[];
  /** Types of the events not served yet (one entry per event). */
  readonly ignored: readonly string[];
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'ANY']);

/** `get`, `Get`, `any`, `x-amazon-apigateway-any-method` -> `GET`, `ANY`. */
export function normaliseMethod(value: unknown, path: string): string {
  const text = scalarText(value, path).toUpperCase();
  const method = text === 'X-AMAZON-APIGATEWAY-ANY-METHOD' || text === '*' ? 'ANY' : text;
  if (!METHODS.has(method)) throw new TemplateError(`not an HTTP method: ${describe(value)}`, path);
  return method;
}

function routePath(value: unknown, path: string): string {
  const text = scalarText(value, path);
  if (!text.startsWith('/')) throw new TemplateError(`must start with "/", got ${describe(text)}`, path);
  return text;
}

/** `PayloadFormatVersion: 1.0` is read by YAML as the text "1.0" or, from JSON, as the number 1. */
export function payloadVersion(value: unknown, path: string): '1.0' | '2.0' {
  if (value === undefined || value === null) return '2.0';
  const text = scalarText(value, path);
  if (text === '1.0' || text === '1') return '1.0';
  if (text === '2.0' || text === '2') return '2.0';
  throw new TemplateError(`must be "1.0" or "2.0", got ${describe(value)}`, path);
}

/**
 * SAM `RequestParameters` (sam-property-function-requestparameter.md): `method.request.<where>.<name>` strings, or
 * single-key mappings to `{ Required, Caching }`; those with `Caching: true` become the method's cacheKeyParameters.
 */
function cacheKeyParameters(value: unknown, path: string): Pick<RouteSpec, 'cacheKeyParameters'> {
  const keys: string[] = [];
  optionalList(value, path).forEach((item, i) => {
    const here = child(path, i);
    if (typeof item === 'string') return checkParameter(item, here);
    const entry = requireRecord(item, here, 'a parameter name or a mapping of one to { Required, Caching }');
    for (const [name, options] of Object.entries(entry)) {
      checkParameter(name, child(here, name));
      if (isRecord(options) && (options.Caching === true || options.Caching === 'true')) keys.push(name);
    }
  });
  return keys.length > 0 ? { cacheKeyParameters: keys } : {};
}

function checkParameter(name: string, path: string): void {
  if (!/^method\.request\.(querystring|multivaluequerystring|header|multivalueheader|path)\.[^.]+$/.test(name)) {
    throw new TemplateError(`must be method.request.querystring|header|path.<name>, got ${describe(name)}`, path);
  }
}

function restEvent(fn: string, eventId: string, props: JsonRecord, path: string): RouteDecl {
  if (props.Path === undefined) throw new TemplateError('Path is required for an Api event', child(path, 'Path'));
  if (props.Method === undefined) throw new TemplateError('Method is required for an Api event', child(path, 'Method'));
  return {
    kind: 'REST',
    apiRef: props.RestApiId,
    apiRefPath: child(path, 'RestApiId'),
    route: {
      method: normaliseMethod(props.Method, child(path, 'Method')),
      path: routePath(props.Path, child(path, 'Path')),
      functionLogicalId: fn,
      payloadFormatVersion: '1.0',
      timeoutInMillis: integerIn(props.TimeoutInMillis, child(path, 'TimeoutInMillis'), 50, 29000, 29000),
      eventId,
      ...cacheKeyParameters(props.RequestParameters, child(path, 'RequestParameters')),
    },
    ...apiKeyRequiredOf(props.Auth, child(path, 'Auth')),
    ...withAuth(props, path),
  };
}

function withAuth(props: JsonRecord, path: string): Pick<RouteDecl, 'auth'> {
  const auth = eventAuthOf(props, path);
  return auth ? { auth } : {};
}

function httpEvent(fn: string, eventId: string, props: JsonRecord, path: string): RouteDecl {
  const isDefault = props.Path === undefined || props.Path === '$default';
  const method = props.Method === undefined ? 'ANY' : normaliseMethod(props.Method, child(path, 'Method'));
  if (isDefault && method !== 'ANY') {
    throw new TemplateError('the $default route takes every method; give a Path or drop Method', child(path, 'Method'));
  }
  return {
    kind: 'HTTP',
    apiRef: props.ApiId,
    apiRefPath: child(path, 'ApiId'),
    route: {
      method,
      path: isDefault ? '$default' : routePath(props.Path, child(path, 'Path')),
      functionLogicalId: fn,
      payloadFormatVersion: payloadVersion(props.PayloadFormatVersion, child(path, 'PayloadFormatVersion')),
      timeoutInMillis: integerIn(props.TimeoutInMillis, child(path, 'TimeoutInMillis'), 50, 30000, 30000),
      eventId,
    },
    ...withAuth(props, path),
  };
}

/** Routes and ignored event types of one function, from its resolved properties. */
export function functionEvents(fn: string, props: JsonRecord): FunctionEvents {
  const base = `Resources.${fn}.Properties.Events`;
  const routes: RouteDecl[] = [];
  const ignored: string[] = [];
  for (const [eventId, raw] of Object.entries(optionalRecord(props.Events, base))) {
    const path = child(base, eventId);
    const event = requireRecord(raw, path);
    if (typeof event.Type !== 'string') throw new TemplateError(`Type is required, got ${describe(event.Type)}`, child(path, 'Type'));
    const eventProps = isRecord(event.Properties) ? event.Properties : {};
    if (event.Type === 'Api') routes.push(restEvent(fn, eventId, eventProps, child(path, 'Properties')));
    else if (event.Type === 'HttpApi') routes.push(httpEvent(fn, eventId, eventProps, child(path, 'Properties')));
    // DynamoDB stream events become event source mappings (event-source-mappings.ts).
    else if (event.Type !== 'DynamoDB') ignored.push(event.Type);
  }
  return { routes, ignored };
}
