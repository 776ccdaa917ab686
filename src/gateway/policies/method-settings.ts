/**
 * Which REST `MethodSettings` entries apply to a method of a stage: API Gateway keys each entry by
 * `resourcePath/httpMethod` with `*` wildcards (aws-behaviour.md §8), and a field an entry leaves out falls back to
 * the less specific entry. Throttling and caching read their own fields from the same list of candidates.
 */

/** An entry as the app model keeps it: decoded resource path or `*`, upper-case method or `*`. */
export interface MethodKeyed {
  readonly resourcePath: string;
  readonly httpMethod: string;
}

/** The entries for a resource and method, most specific first: resource + method, resource + `*`, `*` + method, `*` + `*`. */
export function matchingSettings<T extends MethodKeyed>(settings: readonly T[], resourcePath: string, method: string): T[] {
  const find = (path: string, m: string): T | undefined => settings.find((s) => s.resourcePath === path && s.httpMethod === m);
  const candidates = [find(resourcePath, method), find(resourcePath, '*'), find('*', method), find('*', '*')];
  return candidates.filter((s): s is T => s !== undefined);
}
