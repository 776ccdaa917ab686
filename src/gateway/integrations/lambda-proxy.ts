import { ThrottledError, type FunctionService } from '../../functions/function-service.js';
import type { CompiledRoute } from '../deployment.js';
import { buildV1Event } from '../events/v1.js';
import { buildV2Event } from '../events/v2.js';
import type { GatewayRequest, GatewayResponse, RequestIds } from '../events/request.js';
import { mapV1Response } from '../events/response-v1.js';
import { mapHttpApiV1Response, mapV2Response } from '../events/response-v2.js';
import type { GatewayErrorType } from '../responses/gateway-responses.js';

/** Lambda's synchronous request limit: an event larger than this never reaches the function. */
const MAX_EVENT_BYTES = 6_291_456;

export type IntegrationResult =
  | { readonly response: GatewayResponse; readonly integrationStatus: number; readonly error?: undefined }
  | { readonly error: GatewayErrorType; readonly integrationStatus: number | '-'; readonly response?: undefined };

/**
 * The Lambda proxy integration (`AWS_PROXY`): the request becomes a payload 1.0 or 2.0 event, the function's result
 * becomes the response. Failures come back as gateway error types for the gateway responses table to render.
 */
export async function invokeLambdaProxy(
  functions: FunctionService,
  route: CompiledRoute,
  request: GatewayRequest,
  ids: RequestIds,
): Promise<IntegrationResult> {
  // A stage variable in the integration URI that this stage does not set: API Gateway's configuration error.
  if (route.fn === undefined) return { error: 'API_CONFIGURATION_ERROR', integrationStatus: '-' };
  const { matched } = route;
  const v2 = route.payloadFormatVersion === '2.0';
  const event = v2 ? buildV2Event(request, matched, ids) : buildV1Event(request, matched, ids, { httpApi: route.api.spec.kind === 'HTTP' });
  // A string takes at most 3 bytes of UTF-8 per UTF-16 unit: only a long event needs counting.
  if (event.length * 3 > MAX_EVENT_BYTES && Buffer.byteLength(event) > MAX_EVENT_BYTES) return { error: 'LAMBDA_REQUEST_TOO_LARGE', integrationStatus: 413 };
  let invocation;
  try {
    invocation = await withTimeout(functions.invoke(route.fn, event, { traceId: ids.traceId, payloadIsJson: true }), route.timeoutMs);
  } catch (error) {
    if (error instanceof ThrottledError) return { error: 'THROTTLED', integrationStatus: 429 };
    throw error;
  }
  if (invocation === undefined) return { error: 'INTEGRATION_TIMEOUT', integrationStatus: '-' };
  if (invocation.kind === 'error') return { error: 'LAMBDA_FUNCTION_ERROR', integrationStatus: 200 };
  const response = mapResponse(route, invocation.payload, request);
  return response ? { response, integrationStatus: 200 } : { error: 'MALFORMED_LAMBDA_RESPONSE', integrationStatus: 200 };
}

/** REST APIs map payload 1.0 strictly; HTTP APIs have their own rules for 2.0 and for 1.0. */
function mapResponse(route: CompiledRoute, payload: string, request: GatewayRequest): GatewayResponse | null {
  if (route.api.spec.kind === 'REST') return mapV1Response(payload, request, route.matched);
  return route.payloadFormatVersion === '2.0' ? mapV2Response(payload) : mapHttpApiV1Response(payload);
}

/** Resolves with undefined when the integration timeout passes first; the invocation itself runs on. */
function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T | undefined> {
  return new Promise<T | undefined>((resolve, reject) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
