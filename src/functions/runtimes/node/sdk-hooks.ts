/**
 * ESM loader hooks (module.register, run by Node on its loader-hooks thread): when an `@aws-sdk/…` import cannot be
 * resolved from the importing file, resolve it again as if imported from the provided-SDK folder. The app's own
 * copy, when it has one, is found by the first attempt and wins. See provided-sdk.ts.
 */

interface ResolveContext {
  readonly parentURL?: string;
  readonly conditions?: readonly string[];
  readonly importAttributes?: Record<string, string>;
}
interface ResolveResult {
  readonly url: string;
  readonly format?: string | null;
  readonly shortCircuit?: boolean;
}
type NextResolve = (specifier: string, context?: ResolveContext) => ResolveResult | Promise<ResolveResult>;

let fallbackParent: string | undefined;

export function initialize(data: { parentURL?: string } | undefined): void {
  fallbackParent = data?.parentURL;
}

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<ResolveResult> {
  try {
    return await nextResolve(specifier, context);
  } catch (err) {
    const notFound = (err as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND';
    if (!fallbackParent || !notFound || !specifier.startsWith('@aws-sdk/')) throw err;
    try {
      return await nextResolve(specifier, { ...context, parentURL: fallbackParent });
    } catch {
      throw err; // report the failure against the user's file, not ours
    }
  }
}
