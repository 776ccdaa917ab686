// How pollers invoke functions: synchronously through the FunctionService, like Lambda's pollers, with throttling
// and a function missing from the current deployment reported as values so the poller can wait and try again.
import { ThrottledError, type FunctionService } from '../function-service.js';

export interface InvokeResult {
  readonly kind: 'response' | 'error';
  readonly payload: string;
}

export type Invoker = (functionName: string, payload: string) => Promise<InvokeResult | 'throttled' | 'missing'>;

export function functionInvoker(functions: FunctionService): Invoker {
  return async (functionName, payload) => {
    const fn = functions.find(functionName);
    if (!fn) return 'missing';
    try {
      const result = await functions.invoke(fn, payload);
      return { kind: result.kind, payload: result.payload };
    } catch (err) {
      if (err instanceof ThrottledError) return 'throttled';
      throw err;
    }
  };
}
