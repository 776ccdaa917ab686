// The single AWS endpoint port: route to a service, read the body within the
// service's limit, verify SigV4, hand over a context. Nothing thrown by a
// service escapes; unexpected failures become a 500 in the service's format,
// logged once with the request id and never with a stack trace on the wire.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { withSignatureDetails } from './auth-errors.js';
import { ClientAbortedError, declaredLength, readBody, type ReadBody } from './body.js';
import { createContext, headerText, type AwsRequestContext } from './context.js';
import type { CredentialLookup } from './credentials.js';
import { AwsError, CORAL_NAMESPACE, internalFailure, renderError, type AwsProtocol, type ErrorRenderOptions } from './errors.js';
import type { RouteProbe } from './routing.js';
import { splitUrl } from './sigv4-parse.js';
import { peekCredentialScope, verifySigV4, type SigV4Result } from './sigv4.js';

export interface AwsService {
  /** Signing name the credential scope must carry: 'lambda', 'dynamodb', … */
  name: string;
  protocol: AwsProtocol;
  /** Claims a request; see routing.ts for the usual matchers. First match wins. */
  matches(probe: RouteProbe): boolean;
  handle(ctx: AwsRequestContext): Promise<void>;
  /** Largest body the operation accepts (default 16 MiB); the context gets at most one byte more. */
  maxBodyBytes?: number | ((probe: RouteProbe) => number);
  /** DynamoDB answers auth failures with 400 where other services use 403. */
  authErrorStatus?: number;
  /** Append the expected canonical request to signature mismatches, as AWS once did. */
  signatureDetails?: boolean;
  /** JSON content type and default error namespace, query xmlns. */
  errorOptions?: Omit<ErrorRenderOptions, 'requestId'>;
  /** The 500 this service answers with; defaults to ServiceException / InternalFailure. */
  internalError?: () => AwsError;
}

export interface AwsEndpointLogger {
  warn(message: string): void;
  error(message: string): void;
}

export interface AwsEndpointOptions {
  credentials: CredentialLookup;
  services: readonly AwsService[];
  logger?: AwsEndpointLogger;
  now?: () => Date;
}

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Past the service's limit we keep hashing (to verify) this much more before giving up on the sender. */
export const DRAIN_SLACK_BYTES = 8 * 1024 * 1024;

export type AwsRequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export function createAwsEndpoint(options: AwsEndpointOptions): AwsRequestListener {
  const endpoint = new AwsEndpoint(options);
  return (req, res) => void endpoint.handle(req, res);
}

export class AwsEndpoint {
  private readonly logger: AwsEndpointLogger;
  private readonly now: () => Date;

  constructor(private readonly options: AwsEndpointOptions) {
    this.logger = options.logger ?? console;
    this.now = options.now ?? (() => new Date());
  }

  /** Never rejects. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    let service: AwsService | undefined;
    try {
      const probe = routeProbe(req);
      service = this.options.services.find((candidate) => candidate.matches(probe));
      if (!service) return unknownRoute(req, res, probe, requestId);
      await this.serve(service, probe, req, res, requestId);
    } catch (err) {
      this.fail(err, service, req, res, requestId);
    }
  }

  private async serve(service: AwsService, probe: RouteProbe, req: IncomingMessage, res: ServerResponse, requestId: string) {
    const limit = bodyLimit(service, probe);
    const drainLimit = limit + 1 + DRAIN_SLACK_BYTES;
    const declared = declaredLength(req);
    const read = declared !== undefined && declared > drainLimit ? undefined : await readBody(req, limit, drainLimit);
    if (!read || read.kind === 'abandoned') return this.refuseBody(service, res, requestId, limit);

    const auth = verifySigV4(
      { method: probe.method, url: req.url ?? '/', rawHeaders: req.rawHeaders, payloadSha256: read.sha256 },
      { credentials: this.options.credentials, service: service.name, protocol: service.protocol, now: this.now() },
    );
    if (!auth.ok) return this.refuseAuth(service, res, requestId, auth);

    const ctx = this.context(service, probe, req, res, requestId, read, auth);
    try {
      await service.handle(ctx);
    } catch (err) {
      // A service may throw the AWS error it means to answer with.
      if (err instanceof AwsError && !ctx.responded) return ctx.sendError(err);
      throw err;
    }
    if (!ctx.responded) throw new Error(`service '${service.name}' returned without responding`);
  }

  private context(
    service: AwsService,
    probe: RouteProbe,
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    read: ReadBody,
    auth: Extract<SigV4Result, { ok: true }>,
  ): AwsRequestContext {
    const errorOptions = service.errorOptions ?? {};
    return createContext({
      method: probe.method,
      rawPath: probe.rawPath,
      rawQuery: splitUrl(req.url ?? '/').rawQuery,
      headers: req.headers,
      body: read.body,
      bodyLength: read.length,
      requestId,
      accessKeyId: auth.accessKeyId,
      region: auth.region,
      protocol: service.protocol,
      jsonContentType: service.protocol === 'json' ? (errorOptions.jsonContentType ?? 'application/x-amz-json-1.0') : 'application/json',
      errorOptions,
      res,
    });
  }

  private refuseAuth(service: AwsService, res: ServerResponse, requestId: string, auth: Extract<SigV4Result, { ok: false }>) {
    let error = service.authErrorStatus ? auth.error.with({ status: service.authErrorStatus }) : auth.error;
    if (auth.canonicalRequest !== undefined && auth.stringToSign !== undefined) {
      // Operators debugging a client need what we expected; the client only gets it on request.
      this.logger.warn(
        `aws endpoint ${requestId}: signature mismatch for ${service.name}; expected canonical request:\n` +
          `${auth.canonicalRequest}\nstring to sign:\n${auth.stringToSign}`,
      );
      if (service.signatureDetails) error = withSignatureDetails(error, auth.canonicalRequest, auth.stringToSign);
    }
    send(res, renderError(error, service.protocol, { ...service.errorOptions, requestId }));
  }

  /** The body is past anything a service could accept: answer, then close instead of reading on. */
  private refuseBody(service: AwsService, res: ServerResponse, requestId: string, limit: number) {
    const error = new AwsError({
      code: 'RequestEntityTooLargeException',
      message: `Request must be smaller than ${limit} bytes`,
      status: 413,
      restType: 'User',
    });
    res.setHeader('Connection', 'close');
    send(res, renderError(error, service.protocol, { ...service.errorOptions, requestId }));
  }

  private fail(err: unknown, service: AwsService | undefined, req: IncomingMessage, res: ServerResponse, requestId: string) {
    if (err instanceof ClientAbortedError) {
      res.destroy();
      return;
    }
    const where = `${req.method ?? '?'} ${req.url ?? '?'}${service ? ` (service '${service.name}')` : ''}`;
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    this.logger.error(`aws endpoint ${requestId}: ${where} failed: ${detail}`);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const protocol = service?.protocol ?? (req.headers['x-amz-target'] ? 'json' : 'rest-json');
    const error = service?.internalError?.() ?? internalFailure(protocol);
    send(res, renderError(error, protocol, { ...service?.errorOptions, requestId }));
  }
}

function routeProbe(req: IncomingMessage): RouteProbe {
  const url = req.url ?? '/';
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    rawPath: splitUrl(url).rawPath,
    target: headerText(req.headers['x-amz-target']),
    scope: peekCredentialScope(url, req.rawHeaders),
    headers: req.headers,
  };
}

function bodyLimit(service: AwsService, probe: RouteProbe): number {
  const limit = typeof service.maxBodyBytes === 'function' ? service.maxBodyBytes(probe) : service.maxBodyBytes;
  return limit ?? DEFAULT_MAX_BODY_BYTES;
}

/**
 * No service claims the request. A JSON-protocol call (it names a target) gets
 * coral's 400 UnknownOperationException. Anything else gets the 404 AWS's REST
 * fronts answer with, but with a JSON body instead of their bare
 * `<UnknownOperationException/>`: SDKs parse REST-JSON error bodies as JSON,
 * and the AWS one makes the JS SDK report a SyntaxError instead of the error.
 */
function unknownRoute(req: IncomingMessage, res: ServerResponse, probe: RouteProbe, requestId: string) {
  req.resume();
  if (probe.target !== undefined) {
    const requested = headerText(req.headers['content-type'])?.split(';')[0].trim();
    const jsonContentType = requested === 'application/x-amz-json-1.1' ? requested : 'application/x-amz-json-1.0';
    const error = new AwsError({
      code: 'UnknownOperationException',
      message: `Portico does not implement the operation '${probe.target}'`,
      status: 400,
      namespace: CORAL_NAMESPACE,
    });
    return send(res, renderError(error, 'json', { requestId, jsonContentType }));
  }
  const error = new AwsError({
    code: 'UnknownOperationException',
    message: `Portico does not implement ${probe.method} ${probe.rawPath}`,
    status: 404,
  });
  send(res, renderError(error, 'rest-json', { requestId }));
}

function send(res: ServerResponse, response: { status: number; headers: Record<string, string>; body: string }) {
  if (res.headersSent) return;
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}
