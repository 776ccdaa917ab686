/**
 * Runtime error types and how thrown values become Lambda error documents and log entries. Names, messages and the
 * document shape come from aws/aws-lambda-nodejs-runtime-interface-client: src/Errors.js (3.x, the client behind
 * nodejs22.x and earlier) and src/utils/errors.ts + error.ts (the rewrite behind nodejs24.x).
 */
import { types } from 'node:util';
import type { ErrorDocument } from './transport.js';
import { isJsonFormat } from './console.js';

/**
 * Errors the runtime raises itself are named `Runtime.<Class>`. RIC 3.x puts that name on the prototype, so it is not
 * an own property and does not appear in the logged JSON; the nodejs24.x rewrite assigns it in the constructor, so
 * its logs show a `"name"` field. ownName() switches an instance to the latter.
 */
export class RuntimeError extends Error {
  ownName(): this {
    // Assigning an inherited writable property creates an own, enumerable one.
    this.name = String(this.name);
    return this;
  }
}

function named(cls: { prototype: Error }, name: string): void {
  cls.prototype.name = `Runtime.${name}`;
}

export class ImportModuleError extends RuntimeError {
  constructor(cause: Error) {
    super(String(cause));
  }
}
named(ImportModuleError, 'ImportModuleError');

export class HandlerNotFound extends RuntimeError {}
named(HandlerNotFound, 'HandlerNotFound');

export class MalformedHandlerName extends RuntimeError {}
named(MalformedHandlerName, 'MalformedHandlerName');

export class UserCodeSyntaxError extends RuntimeError {
  /** nodejs24.x keeps the SyntaxError's own stack (it points at the user's file); 3.x reports where it was wrapped. */
  constructor(cause: SyntaxError, keepOriginalStack: boolean) {
    super(String(cause));
    if (keepOriginalStack && cause.stack) this.stack = cause.stack;
  }
}
named(UserCodeSyntaxError, 'UserCodeSyntaxError');

/** nodejs24.x only, hence an own name (see RuntimeError). */
export class CallbackHandlerDeprecated extends RuntimeError {
  constructor() {
    super(CALLBACK_REMOVED);
    this.name = 'Runtime.CallbackHandlerDeprecated';
  }
}

/** Raised when an async handler's promise never settles and the event loop drains (RIC 3.x, Errors.js NodeJsExit). */
export class NodeJsExit extends RuntimeError {
  constructor() {
    super(
      'The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by a Promise ' +
        'that was never settled. For more information, see https://nodejs.org/docs/latest/api/process.html#exit-codes',
    );
  }
}
named(NodeJsExit, 'NodeJsExit');

export class UnhandledPromiseRejection extends RuntimeError {
  readonly reason: unknown;
  readonly promise: unknown;
  constructor(reason: unknown, promise: unknown) {
    // `super(reason)` in the RIC: the Error constructor stringifies whatever it is given, and nothing for undefined.
    super(reason === undefined ? '' : String(reason));
    this.reason = reason;
    this.promise = promise;
  }
}
named(UnhandledPromiseRejection, 'UnhandledPromiseRejection');

/** nodejs24.x: a result JSON.stringify cannot serialise (RIC utils/serialize.ts). */
export class JSONStringifyError extends RuntimeError {
  constructor() {
    super('Unable to stringify response body');
    this.name = 'Runtime.JSONStringifyError';
  }
}

export const CALLBACK_REMOVED =
  'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to ' +
  'modify this function to use a supported handler signature to use Node.js 24 or later. For more information see ' +
  'https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';

export const CALLBACK_WARNING =
  'AWS Lambda plans to remove support for callback-based function handlers starting with Node.js 24. You will need ' +
  'to update this function to use an async handler to use Node.js 24 or later. For more information and to provide ' +
  'feedback on this change, see https://github.com/aws/aws-lambda-nodejs-runtime-interface-client/issues/137. To ' +
  'disable this warning, set the AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING environment variable.';

const UNREADABLE =
  'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack';

/** 3.x also accepts error-shaped objects: non-empty name, message and stack strings (Errors.js _isError). */
function isErrorShaped(value: unknown): boolean {
  const v = value as Partial<Error> | null;
  return !!v && !!v.name && !!v.message && !!v.stack &&
    typeof v.name === 'string' && typeof v.message === 'string' && typeof v.stack === 'string';
}

const escapeDel = (s: string | undefined) => s?.replaceAll('\x7F', '%7F');

/** RIC 3.x toRapidResponse, including where it throws (no stack, a value without toString) and falls back. */
function legacyDocument(error: unknown): ErrorDocument {
  try {
    if (types.isNativeError(error) || isErrorShaped(error)) {
      const e = error as Error;
      return { errorType: escapeDel(e.name)!, errorMessage: escapeDel(e.message)!, trace: escapeDel(e.stack)!.split('\n') };
    }
    return { errorType: typeof error, errorMessage: (error as { toString(): string }).toString(), trace: [] };
  } catch {
    return { errorType: 'handled', errorMessage: UNREADABLE };
  }
}

/** The rewrite's formatError (utils/error.ts): only real Error instances count as errors. */
function promiseOnlyDocument(error: unknown): ErrorDocument {
  try {
    if (error instanceof Error) {
      return { errorType: escapeDel(error.name)!, errorMessage: escapeDel(error.message)!, trace: escapeDel(error.stack)?.split('\n') ?? [] };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return { errorType: 'handled', errorMessage: UNREADABLE, trace: [] };
  }
}

/**
 * Any thrown value → `{errorType, errorMessage, trace}`. Non-errors become `{errorType: typeof value, errorMessage:
 * its string form, trace: []}` (so `throw "x"` gives errorType "string").
 */
export function toErrorDocument(error: unknown, promiseOnly: boolean): ErrorDocument {
  return promiseOnly ? promiseOnlyDocument(error) : legacyDocument(error);
}

export function intoError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/** `\t{json}` as the RIC appends to "Uncaught Exception", "Invoke Error" …: enumerable props plus type, message, stack. */
export function toFormatted(error: Error): string {
  try {
    return '\t' + JSON.stringify(error, (_key, value) => withEnumerableProperties(value));
  } catch {
    return '\t' + JSON.stringify(toErrorDocument(error, false));
  }
}

function withEnumerableProperties(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const out: Record<string, unknown> = Object.assign(
    { errorType: value.name, errorMessage: value.message, code: (value as { code?: unknown }).code },
    value as unknown as Record<string, unknown>,
  );
  if (typeof value.stack === 'string') out.stack = value.stack.split('\n');
  return out;
}

/** The RIC's structuredConsole.logError: goes through the (patched, or user-replaced) console.error. */
export function logError(label: string, error: unknown): void {
  if (isJsonFormat()) console.error(intoError(error));
  else console.error(label, toFormatted(intoError(error)));
}
