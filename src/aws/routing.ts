// How the front decides which service a request is for. Real AWS tells
// services apart by host name; on one port we use what the protocols put in
// the request instead: X-Amz-Target for JSON services, the path for REST-JSON
// ones, and the credential scope's service name when neither says enough.
import type { IncomingHttpHeaders } from 'node:http';
import type { CredentialScope } from './sigv4-parse.js';

/** What is known about a request before its body is read or its signature checked. */
export interface RouteProbe {
  method: string;
  /** Path as sent, percent-encoded. */
  rawPath: string;
  /** X-Amz-Target header (JSON protocols: `DynamoDB_20120810.PutItem`). */
  target: string | undefined;
  /** The scope the request claims to be signed for; unverified at this point. */
  scope: CredentialScope | undefined;
  headers: IncomingHttpHeaders;
}

export type RouteMatcher = (probe: RouteProbe) => boolean;

/** JSON protocols: `X-Amz-Target: DynamoDB_20120810.GetItem` matches prefix 'DynamoDB_20120810.'. */
export function byTargetPrefix(...prefixes: string[]): RouteMatcher {
  return (probe) => probe.target !== undefined && prefixes.some((prefix) => probe.target?.startsWith(prefix));
}

/** REST-JSON: whole-segment prefixes, so '/2015-03-31/functions' does not match '/2015-03-31/functionsX'. */
export function byPathPrefix(...prefixes: string[]): RouteMatcher {
  return (probe) =>
    probe.target === undefined &&
    prefixes.some((prefix) => {
      const base = prefix.replace(/\/+$/, '');
      return probe.rawPath === base || probe.rawPath.startsWith(`${base}/`);
    });
}

/** Query protocols (everything POSTed to '/'): the signing name in the credential scope. */
export function byScopeService(service: string): RouteMatcher {
  return (probe) => probe.scope?.service === service;
}

export function allOf(...matchers: RouteMatcher[]): RouteMatcher {
  return (probe) => matchers.every((match) => match(probe));
}

export function anyOf(...matchers: RouteMatcher[]): RouteMatcher {
  return (probe) => matchers.some((match) => match(probe));
}
