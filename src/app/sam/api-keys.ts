/**
 * Which REST methods require an API key, and where the key comes from:
 * - SAM `Auth.ApiKeyRequired` on an `AWS::Serverless::Api` (every event method of the API) and on an `Api` event
 *   (`Auth: { ApiKeyRequired: true }`, overriding the API's) — sam-property-api-apiauth.md,
 *   sam-property-function-apifunctionauth.md;
 * - OpenAPI: an operation (or the document) whose `security` names a scheme of `type: apiKey`, `name: x-api-key`,
 *   `in: header`, the form API Gateway imports as `apiKeyRequired` (api-gateway-swagger-extensions-api-key-source.md
 *   and the `api_key` scheme SAM itself writes);
 * - `ApiKeySourceType` (`HEADER` | `AUTHORIZER`) on the API, or `x-amazon-apigateway-api-key-source` in the body.
 */

import type { ApiSpec } from '../model.js';
import { TemplateError } from '../model.js';
import { child, describe, isRecord, type JsonRecord } from './values.js';

/** `{ apiKeyRequired }` when `Auth.ApiKeyRequired` is set, so that events without it carry no key at all. */
export function apiKeyRequiredOf(auth: unknown, at: string): { apiKeyRequired?: boolean } {
  if (!isRecord(auth) || auth.ApiKeyRequired === undefined || auth.ApiKeyRequired === null) return {};
  return { apiKeyRequired: booleanOf(auth.ApiKeyRequired, child(at, 'ApiKeyRequired')) };
}

/** `{ apiKeySource }` for a REST API whose `ApiKeySourceType` (or body extension) says where keys come from. */
export function apiKeySourceOf(props: JsonRecord, definition: unknown, at: string): Pick<ApiSpec, 'apiKeySource'> {
  const fromBody = isRecord(definition) ? definition['x-amazon-apigateway-api-key-source'] : undefined;
  const value = props.ApiKeySourceType ?? fromBody;
  if (value === undefined || value === null) return {};
  const text = typeof value === 'string' ? value.toUpperCase() : value;
  if (text !== 'HEADER' && text !== 'AUTHORIZER') {
    throw new TemplateError(`must be HEADER or AUTHORIZER, got ${describe(value)}`, child(at, 'ApiKeySourceType'));
  }
  return { apiKeySource: text };
}

/** Whether an OpenAPI operation requires the `x-api-key` header through its (or the document's) `security`. */
export function operationRequiresApiKey(body: JsonRecord, operation: JsonRecord): boolean {
  const security = operation.security ?? body.security;
  if (!Array.isArray(security)) return false;
  const schemes = securitySchemes(body);
  return security.some((requirement) => isRecord(requirement) && Object.keys(requirement).some((name) => isApiKeyScheme(schemes[name])));
}

/** OpenAPI 3 `components.securitySchemes` or Swagger 2 `securityDefinitions`. */
function securitySchemes(body: JsonRecord): JsonRecord {
  const components = isRecord(body.components) ? body.components : {};
  if (isRecord(components.securitySchemes)) return components.securitySchemes;
  return isRecord(body.securityDefinitions) ? body.securityDefinitions : {};
}

function isApiKeyScheme(scheme: unknown): boolean {
  return isRecord(scheme) && scheme.type === 'apiKey' && String(scheme.in).toLowerCase() === 'header' && String(scheme.name).toLowerCase() === 'x-api-key';
}

export function booleanOf(value: unknown, at: string): boolean {
  if (value === true || value === 'true' || value === 'True') return true;
  if (value === false || value === 'false' || value === 'False') return false;
  throw new TemplateError(`must be true or false, got ${describe(value)}`, at);
}
