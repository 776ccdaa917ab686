/**
 * Identity sources: the request values an authorizer is keyed on. API Gateway answers 401 without invoking the
 * authorizer when one of them is missing or empty (aws-behaviour §4.2, §5.4), and caches results by their values.
 */
import type { IdentitySourceSpec } from '../../../app/model.js';
import { parseQuery } from '../../events/common.js';
import type { PolicyContext } from '../../phases.js';

/** The values of `sources` in order, or undefined when one is missing or empty. */
export function identityValues(sources: readonly IdentitySourceSpec[], ctx: PolicyContext, stageVariables: Readonly<Record<string, string>> | null): string[] | undefined {
  const values: string[] = [];
  let query: Map<string, string[]> | null | undefined;
  for (const source of sources) {
    let value: string | undefined;
    if (source.from === 'header') value = headerValue(ctx.rawHeaders, source.name);
    else if (source.from === 'query') {
      query ??= parseQuery(ctx.request?.rawQueryString ?? '', false);
      value = query?.get(source.name)?.join(',');
    } else if (source.from === 'stageVariable') value = stageVariables?.[source.name];
    else value = contextValue(ctx, source.name);
    if (value === undefined || value === '') return undefined;
    values.push(value);
  }
  return values;
}

/** A header's value, repeated headers joined with `,` as HTTP APIs forward them. */
export function headerValue(rawHeaders: readonly string[], name: string): string | undefined {
  const lower = name.toLowerCase();
  let value: string | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === lower) value = value === undefined ? rawHeaders[i + 1]! : `${value},${rawHeaders[i + 1]!}`;
  }
  return value;
}

/** The `$context` variables a request knows before its integration runs; others count as missing. */
function contextValue(ctx: PolicyContext, name: string): string | undefined {
  switch (name) {
    case 'httpMethod':
      return ctx.method;
    case 'path':
      return ctx.path;
    case 'routeKey':
      return ctx.route?.routeKey;
    case 'resourcePath':
      return ctx.route?.resource;
    case 'resourceId':
      return ctx.route?.resourceId;
    case 'stage':
      return ctx.route?.stage;
    case 'apiId':
      return ctx.route?.apiId;
    case 'requestId':
      return ctx.ids?.requestId;
    case 'accountId':
      return ctx.ids?.accountId;
    case 'domainName':
      return ctx.ids?.domainName;
    case 'identity.sourceIp':
      return ctx.request?.sourceIp;
    case 'identity.userAgent':
      return headerValue(ctx.rawHeaders, 'user-agent');
    default:
      return undefined;
  }
}
