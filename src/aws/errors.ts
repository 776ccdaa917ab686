// AWS error values and their three wire shapes. SDKs pick the error class
// from these exact fields (x-amzn-ErrorType, __type, <Code>), so the shapes
// are pinned by the tests in test/unit/aws/errors.test.ts.

export type AwsProtocol = 'rest-json' | 'json' | 'query';
export type AwsFault = 'Sender' | 'Receiver';

/** Namespace AWS's shared front end ("coral") uses for auth and routing errors. */
export const CORAL_NAMESPACE = 'com.amazon.coral.service';

export interface AwsErrorInit {
  code: string;
  message: string;
  status: number;
  /** Defaults to Sender for 4xx and Receiver for 5xx. */
  fault?: AwsFault;
  /** JSON protocol `__type` namespace; unset means the service's own, '' means a bare code. */
  namespace?: string;
  /** Query/XML protocol code when it differs (InvalidSignatureException → SignatureDoesNotMatch). */
  queryCode?: string;
  /** Lambda-style `"Type"` body member: "User" for caller errors, "Service" for ours. */
  restType?: 'User' | 'Service';
  /** Lambda's model spells the member `Message` for some errors and `message` for others. */
  messageKey?: 'message' | 'Message';
  /** Extra modeled members to put in a JSON body. */
  fields?: Readonly<Record<string, unknown>>;
  headers?: Readonly<Record<string, string>>;
  /** Operator-only detail: logged, never sent unless a service opts in. */
  debug?: string;
}

export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fault: AwsFault;
  readonly namespace: string | undefined;
  readonly queryCode: string | undefined;
  readonly restType: 'User' | 'Service' | undefined;
  readonly messageKey: 'message' | 'Message';
  readonly fields: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly debug: string | undefined;

  constructor(init: AwsErrorInit) {
    super(init.message);
    this.name = init.code;
    this.code = init.code;
    this.status = init.status;
    this.fault = init.fault ?? (init.status >= 500 ? 'Receiver' : 'Sender');
    this.namespace = init.namespace;
    this.queryCode = init.queryCode;
    this.restType = init.restType;
    this.messageKey = init.messageKey ?? 'message';
    this.fields = init.fields ?? {};
    this.headers = init.headers ?? {};
    this.debug = init.debug;
  }

  /** A copy with some fields replaced (status per service, message with details, …). */
  with(changes: Partial<AwsErrorInit>): AwsError {
    return new AwsError({ ...this.init(), ...changes });
  }

  private init(): AwsErrorInit {
    return {
      code: this.code,
      message: this.message,
      status: this.status,
      fault: this.fault,
      namespace: this.namespace,
      queryCode: this.queryCode,
      restType: this.restType,
      messageKey: this.messageKey,
      fields: this.fields,
      headers: this.headers,
      debug: this.debug,
    };
  }
}

export interface ErrorRenderOptions {
  requestId: string;
  /** JSON protocol: namespace for errors that carry none, e.g. com.amazonaws.dynamodb.v20120810. */
  jsonNamespace?: string;
  /** JSON protocol: application/x-amz-json-1.0 (DynamoDB) or -1.1. */
  jsonContentType?: string;
  /** Query protocol: xmlns of <ErrorResponse>, e.g. https://sts.amazonaws.com/doc/2011-06-15/. */
  queryXmlns?: string;
}

export interface RenderedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function renderError(err: AwsError, protocol: AwsProtocol, opts: ErrorRenderOptions): RenderedResponse {
  if (protocol === 'rest-json') return renderRestJson(err, opts);
  if (protocol === 'json') return renderJson(err, opts);
  return renderQuery(err, opts);
}

function baseHeaders(err: AwsError, opts: ErrorRenderOptions, contentType: string): Record<string, string> {
  return { ...err.headers, 'x-amzn-RequestId': opts.requestId, 'Content-Type': contentType };
}

/** Body members shared by the JSON shapes; an empty message is left out as AWS does. */
function jsonMembers(err: AwsError): Record<string, unknown> {
  const members: Record<string, unknown> = {};
  if (err.message !== '') members[err.messageKey] = err.message;
  return { ...members, ...err.fields };
}

/** Lambda: `x-amzn-ErrorType: Code` plus `{"Type":"User","message":"…"}`. */
export function renderRestJson(err: AwsError, opts: ErrorRenderOptions): RenderedResponse {
  const head = err.restType ? { Type: err.restType } : {};
  return {
    status: err.status,
    headers: { ...baseHeaders(err, opts, 'application/json'), 'x-amzn-ErrorType': err.code },
    body: JSON.stringify({ ...head, ...jsonMembers(err) }),
  };
}

/** DynamoDB: `{"__type":"namespace#Code","message":"…"}`. */
export function renderJson(err: AwsError, opts: ErrorRenderOptions): RenderedResponse {
  const namespace = err.namespace ?? opts.jsonNamespace ?? CORAL_NAMESPACE;
  const type = namespace === '' ? err.code : `${namespace}#${err.code}`;
  return {
    status: err.status,
    headers: baseHeaders(err, opts, opts.jsonContentType ?? 'application/x-amz-json-1.0'),
    body: JSON.stringify({ __type: type, ...jsonMembers(err) }),
  };
}

/** STS/SQS query protocol: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`. */
export function renderQuery(err: AwsError, opts: ErrorRenderOptions): RenderedResponse {
  const xmlns = opts.queryXmlns ? ` xmlns="${escapeXml(opts.queryXmlns)}"` : '';
  const body =
    `<ErrorResponse${xmlns}>\n  <Error>\n    <Type>${err.fault}</Type>\n` +
    `    <Code>${escapeXml(err.queryCode ?? err.code)}</Code>\n` +
    `    <Message>${escapeXml(err.message)}</Message>\n  </Error>\n` +
    `  <RequestId>${escapeXml(opts.requestId)}</RequestId>\n</ErrorResponse>\n`;
  return { status: err.status, headers: baseHeaders(err, opts, 'text/xml'), body };
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => XML_ENTITIES[c]);
}

const XML_ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };

/**
 * AWS's documented catch-all (Common Errors: InternalFailure, HTTP 500). The
 * REST-JSON shape uses Lambda's ServiceException, the code its SDK models.
 */
export const INTERNAL_FAILURE_MESSAGE =
  'The request processing has failed because of an unknown error, exception or failure.';

export function internalFailure(protocol: AwsProtocol): AwsError {
  if (protocol === 'rest-json') {
    return new AwsError({ code: 'ServiceException', message: INTERNAL_FAILURE_MESSAGE, status: 500, restType: 'Service', messageKey: 'Message' });
  }
  return new AwsError({ code: 'InternalFailure', message: INTERNAL_FAILURE_MESSAGE, status: 500, namespace: CORAL_NAMESPACE });
}
