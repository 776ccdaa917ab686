import { createServer, STATUS_CODES, validateHeaderName, validateHeaderValue, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { FunctionService } from '../functions/function-service.js';
import { AccessLog, type AccessRecord } from './access-log.js';
import { address } from './addressing.js';
import type { CompiledApi, CompiledRoute, Deployment } from './deployment.js';
import { newRequestIds, traceIdFor } from './events/ids.js';
import type { GatewayRequest, GatewayResponse, RequestIds } from './events/request.js';
import { invokeLambdaProxy, type IntegrationResult } from './integrations/lambda-proxy.js';
import type { PolicyContext, RequestOutcome, RoutePlan } from './phases.js';
import { runRequestHooks, runResponseHooks } from './plan.js';
import { customise, type ErrorRequest } from './responses/custom-responses.js';
import { gatewayError, gatewayHeaders, type GatewayErrorOptions, type GatewayErrorType } from './responses/gateway-responses.js';

const EMPTY_BODY = Buffer.alloc(0);
/** API Gateway's payload limit for REST and HTTP APIs. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** API Gateway's limit on the request line and headers together. */
const MAX_HEADER_BYTES = 10_240;

export interface GatewayOptions {
  readonly accountId: string;
}

/** What a request reached: an API, and a route of it when one matched (for access logs). */
interface Target {
  readonly api: CompiledApi;
  readonly route?: CompiledRoute;
  /** What the request's policies found (the admitted API key …), for the access log. */
  readonly policy?: PolicyContext;
}

/** `$context.integrationLatency` and `$context.integrationStatus` of a request whose integration ran. */
interface IntegrationTiming {
  readonly integrationLatency: number;
  readonly integrationStatus: number | '-';
}

interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly startedAt: number;
  readonly rawPath: string;
  readonly rawQueryString: string;
  readonly host: string;
}

/**
 * The gateway's HTTP front: finds the API and route in the current deployment, runs the route's integration and
 * writes the response. The deployment is one immutable object swapped on redeploy, so a request runs start to
 * finish on the deployment it began with.
 */
export class GatewayServer {
  private deployment: Deployment | undefined;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly functions: FunctionService,
    private readonly accessLog: AccessLog,
    private readonly options: GatewayOptions,
  ) {
    this.server = createServer({ maxHeaderSize: MAX_HEADER_BYTES, requireHostHeader: false }, (req, res) => this.handle(req, res));
    this.server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => rejectMalformed(error, socket));
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  setDeployment(deployment: Deployment): void {
    for (const api of deployment.apis) this.accessLog.prepare(api.spec.apiId, api.spec.stageName);
    this.deployment = deployment;
  }

  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    // Once listening, a server error (`accept` failing with EMFILE …) must not take the process down.
    this.server.on('error', (error) => process.emitWarning(`gateway: ${error.message}`));
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops accepting connections and lets in-flight requests finish for up to `graceMs`. */
  async close(graceMs = 1000): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const timer = setTimeout(() => {
      for (const socket of this.sockets) socket.destroy();
    }, graceMs);
    await closed;
    clearTimeout(timer);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = originForm(req.url ?? '/');
    const query = url.indexOf('?');
    const exchange: Exchange = {
      req,
      res,
      startedAt: Date.now(),
      rawPath: query === -1 ? url : url.slice(0, query),
      rawQueryString: query === -1 ? '' : url.slice(query + 1),
      host: req.headers.host ?? '',
    };
    this.route(exchange).catch((error: unknown) => this.fail(exchange, error));
  }

  private async route(exchange: Exchange): Promise<void> {
    const deployment = this.deployment;
    const traceId = traceIdFor(exchange.req.rawHeaders, exchange.startedAt);
    const ids = (api: CompiledApi | undefined, domainName: string, kind: 'REST' | 'HTTP') =>
      newRequestIds(this.options.accountId, deployment?.id ?? '', domainName, api?.spec.apiId ?? '', kind, traceId);
    const found = deployment ? address(deployment, exchange.host, exchange.rawPath) : undefined;
    if (!found?.api) {
      exchange.req.resume();
      const kind = found?.api404 ?? 'HTTP';
      return this.sendError(exchange, notFound(kind), kind, ids(undefined, exchange.host, kind));
    }
    const { api, path, domainName } = found;
    const requestIds = ids(api, domainName, api.spec.kind);
    const match = api.router.match(path, exchange.req.method ?? 'GET');
    const route = match?.value ?? api.defaultRoute;
    if (!route) {
      exchange.req.resume();
      if (api.unrouted.onRequest.length !== 0 && (await this.ranUnroutedHooks(exchange, api.unrouted, path, requestIds, { api }))) return;
      return this.sendError(exchange, notFound(api.spec.kind), api.spec.kind, requestIds, { api });
    }
    // A request without a body (no Content-Length or 0, not chunked: a GET) goes on without waiting for its end.
    const body = hasNoRequestBody(exchange.req) ? EMPTY_BODY : await readBody(exchange.req);
    if (body === undefined) return this.sendError(exchange, 'REQUEST_TOO_LARGE', api.spec.kind, requestIds, { api, route });
    const pathParameters = match && Object.keys(match.params).length > 0 ? match.params : null;
    let request = gatewayRequest(exchange, body, pathParameters);
    // Only routes with policies get a context: a route without any keeps to two length checks.
    const policy: PolicyContext | undefined =
      route.plan.onRequest.length === 0 && route.plan.onResponse.length === 0
        ? undefined
        : { ...policyContext(exchange, path, pathParameters), request, ids: requestIds, route: route.matched };
    if (policy !== undefined && route.plan.onRequest.length !== 0) {
      const pending = runRequestHooks(route.plan, policy);
      // Hooks that answer synchronously (in-memory throttle buckets) cost no extra microtask.
      const outcome: RequestOutcome = pending instanceof Promise ? await pending : pending;
      if (outcome !== undefined) return this.answer(exchange, outcome, requestIds, { api, route, policy });
      request = withPolicyResults(request, policy);
    }
    await this.integrate(exchange, route, request, requestIds, policy);
  }

  /**
   * Runs the request hooks of an API's unrouted plan (its body unread: an authorizer on SAM's CORS OPTIONS mock sees
   * an empty one); true when one of them answered the request (and the answer was sent).
   */
  private async ranUnroutedHooks(exchange: Exchange, plan: RoutePlan, path: string, ids: RequestIds, target: Target): Promise<boolean> {
    const request = gatewayRequest(exchange, EMPTY_BODY, null);
    const outcome: RequestOutcome = await runRequestHooks(plan, { ...policyContext(exchange, path, null), request, ids });
    if (outcome === undefined) return false;
    this.answer(exchange, outcome, ids, target);
    return true;
  }

  /** Sends what a request hook answered: a gateway error (THROTTLED …) or a response of its own. */
  private answer(exchange: Exchange, outcome: Exclude<RequestOutcome, undefined>, ids: RequestIds, target: Target): void {
    const kind = target.api.spec.kind;
    if ('error' in outcome) this.sendError(exchange, outcome.error, kind, ids, target, undefined, outcome);
    else this.send(exchange, { ...outcome, headers: [...outcome.headers, ...gatewayHeaders(kind, ids, ids.traceId)] }, ids, target, undefined);
  }

  private async integrate(exchange: Exchange, route: CompiledRoute, request: GatewayRequest, ids: RequestIds, policy: PolicyContext | undefined): Promise<void> {
    const started = Date.now();
    const result: IntegrationResult = await invokeLambdaProxy(this.functions, route, request, ids);
    const timing: IntegrationTiming = { integrationLatency: Date.now() - started, integrationStatus: result.integrationStatus };
    const target: Target = policy === undefined ? { api: route.api, route } : { api: route.api, route, policy };
    if (result.response === undefined) return this.sendError(exchange, result.error, route.api.spec.kind, ids, target, timing);
    const integrated = route.plan.onResponse.length === 0 ? result.response : runResponseHooks(route.plan, policy!, result.response);
    const response = { ...integrated, headers: [...integrated.headers, ...gatewayHeaders(route.api.spec.kind, ids, ids.traceId)] };
    this.send(exchange, response, ids, target, timing);
  }

  private sendError(
    exchange: Exchange,
    type: GatewayErrorType,
    kind: 'REST' | 'HTTP',
    ids: RequestIds,
    target?: Target,
    integration?: IntegrationTiming,
    options?: GatewayErrorOptions,
  ): void {
    const builtIn = gatewayError(type, kind, ids, options);
    const response =
      target?.api.customResponses === undefined ? builtIn : customise(builtIn, type, target.api.customResponses, ids, errorRequest(exchange, target));
    this.send(exchange, response, ids, target, integration, type);
  }

  private send(
    exchange: Exchange,
    response: GatewayResponse,
    ids: RequestIds,
    target: Target | undefined,
    integration: IntegrationTiming | undefined,
    errorType?: GatewayErrorType,
  ): void {
    const { res } = exchange;
    if (res.headersSent || res.destroyed) return;
    let sent = response;
    if (response.statusCode < 200 || !headersAreSendable(response.headers)) {
      // A 1xx status cannot end an exchange, and a header value with CR/LF or a character beyond Latin-1 cannot
      // go on the wire: either is a malformed result.
      errorType = 'MALFORMED_LAMBDA_RESPONSE';
      sent = gatewayError(errorType, target?.api.spec.kind ?? 'REST', ids);
    }
    const bodiless = hasNoBody(sent.statusCode);
    const headers = bodiless ? sent.headers : [...sent.headers, 'Content-Length', String(sent.body.length)];
    res.writeHead(sent.statusCode, STATUS_CODES[sent.statusCode] ?? 'Unknown', headers as unknown as string[]);
    res.end(bodiless || exchange.req.method === 'HEAD' ? undefined : sent.body);
    res.once('finish', () => this.logAccess(exchange, sent, ids, target, integration, errorType));
  }

  private logAccess(
    exchange: Exchange,
    response: GatewayResponse,
    ids: RequestIds,
    target: Target | undefined,
    integration: IntegrationTiming | undefined,
    errorType: GatewayErrorType | undefined,
  ): void {
    if (!target) return;
    const { api, route } = target;
    const record: AccessRecord = {
      requestId: ids.requestId,
      extendedRequestId: ids.extendedRequestId,
      apiId: api.spec.apiId,
      stage: api.spec.stageName,
      ip: exchange.req.socket.remoteAddress ?? '-',
      requestTime: new Date(exchange.startedAt).toISOString(),
      requestTimeEpoch: exchange.startedAt,
      httpMethod: exchange.req.method ?? '-',
      path: exchange.rawPath,
      routeKey: route?.routeKey ?? '-',
      resourcePath: route?.resource ?? '-',
      protocol: `HTTP/${exchange.req.httpVersion}`,
      status: response.statusCode,
      responseLength: response.body.length,
      responseLatency: Date.now() - exchange.startedAt,
      integrationLatency: integration?.integrationLatency ?? '-',
      integrationStatus: integration?.integrationStatus ?? '-',
      errorMessage: errorType ?? '-',
      ...(target.policy?.apiKey ? { apiKeyId: target.policy.apiKey.id } : {}),
    };
    this.accessLog.write(record);
  }

  /** A bug of ours must not take the gateway down or show a stack trace: the client gets AWS's 500. */
  private fail(exchange: Exchange, error: unknown): void {
    process.emitWarning(`gateway: ${error instanceof Error ? error.message : String(error)}`);
    const ids = newRequestIds(this.options.accountId, '', exchange.host, '');
    if (!exchange.res.headersSent) this.send(exchange, gatewayError('API_CONFIGURATION_ERROR', 'REST', ids), ids, undefined, undefined);
  }
}

/** An unknown path (or, for REST, a known path without the method): REST says 403 Missing Authentication Token. */
function notFound(kind: 'REST' | 'HTTP'): GatewayErrorType {
  return kind === 'REST' ? 'MISSING_AUTHENTICATION_TOKEN' : 'RESOURCE_NOT_FOUND';
}

/** 204 and 304 responses never carry a body nor a Content-Length announcing one (RFC 9110 §6.4.1, §8.6). */
function hasNoBody(status: number): boolean {
  return status === 204 || status === 304;
}

function headersAreSendable(headers: readonly string[]): boolean {
  try {
    for (let i = 0; i < headers.length; i += 2) {
      validateHeaderName(headers[i]!);
      validateHeaderValue(headers[i]!, headers[i + 1]!);
    }
    return true;
  } catch {
    return false;
  }
}

/** `http://host:port/Prod/a?b` (absolute form, RFC 9112 §3.2.2) → `/Prod/a?b`; origin form is returned as is. */
function originForm(url: string): string {
  if (url.startsWith('/')) return url;
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url);
  if (!match) return url;
  const rest = url.slice(match[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

function policyContext(exchange: Exchange, path: string, pathParameters: Readonly<Record<string, string>> | null): PolicyContext {
  return { method: exchange.req.method ?? 'GET', path, rawHeaders: exchange.req.rawHeaders, rawQueryString: exchange.rawQueryString, pathParameters };
}

/** What a custom gateway response can read of the request it answers (path parameters are not kept for errors). */
function errorRequest(exchange: Exchange, target: Target): ErrorRequest {
  const { req } = exchange;
  const { spec } = target.api;
  return {
    method: req.method ?? 'GET',
    path: exchange.rawPath,
    rawHeaders: req.rawHeaders,
    rawQueryString: exchange.rawQueryString,
    pathParameters: null,
    sourceIp: normaliseIp(req.socket.remoteAddress),
    requestTimeEpoch: exchange.startedAt,
    protocol: `HTTP/${req.httpVersion}`,
    apiId: spec.apiId,
    stage: spec.stageName,
    stageVariables: target.api.stageVariables,
    resourcePath: target.route?.resource,
  };
}

function gatewayRequest(exchange: Exchange, body: Buffer, pathParameters: Record<string, string> | null): GatewayRequest {
  const { req } = exchange;
  return {
    method: req.method ?? 'GET',
    rawPath: exchange.rawPath,
    pathParameters,
    rawQueryString: exchange.rawQueryString,
    rawHeaders: req.rawHeaders,
    body,
    sourceIp: normaliseIp(req.socket.remoteAddress),
    requestTimeEpoch: exchange.startedAt,
    protocol: `HTTP/${req.httpVersion}`,
    host: exchange.host,
    scheme: 'http',
    localPort: req.socket.localPort,
  };
}

/** The request with what the policies established: the authorizer's result, the API key it was admitted with. */
function withPolicyResults(request: GatewayRequest, policy: PolicyContext): GatewayRequest {
  if (policy.authorizer === undefined && policy.apiKey === undefined) return request;
  return { ...request, ...(policy.authorizer ? { authorizer: policy.authorizer } : {}), ...(policy.apiKey ? { apiKey: policy.apiKey } : {}) };
}

/** `::ffff:127.0.0.1` → `127.0.0.1`, as API Gateway reports IPv4 clients. */
function normaliseIp(ip: string | undefined): string {
  if (!ip) return '127.0.0.1';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

/** A request whose framing says it has no body (RFC 9112 §6.3: neither Transfer-Encoding nor a Content-Length above 0). */
function hasNoRequestBody(req: IncomingMessage): boolean {
  const { headers } = req;
  const length = headers['content-length'];
  return headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
}

/** Reads the body, or resolves undefined (and stops reading) once it passes API Gateway's 10 MB limit. */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Malformed HTTP or headers over the limit: answer like a front door would, then close. */
function rejectMalformed(error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
  const body = JSON.stringify({ message: tooLarge ? 'Request Header Fields Too Large' : 'Bad Request' });
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
}
