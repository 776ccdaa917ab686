import type { CompiledApi, Deployment } from './deployment.js';

/** Which API a request is for and the path that API sees (below its stage). */
export interface Addressed {
  readonly api: CompiledApi;
  /** Raw path below the stage, starting with `/`. */
  readonly path: string;
  readonly domainName: string;
}

export type AddressResult = Addressed | { readonly api: undefined; readonly api404: 'REST' | 'HTTP' };

const API_HOST = /^([a-z0-9]+)\.execute-api\./;

/**
 * Finds the API the way AWS does by host name (`<apiId>.execute-api.localhost`, then the stage as the first path
 * segment) and, on the same port without a host name, by path: REST stages under `/<stage>/…`, the root HTTP API at `/`.
 */
export function address(deployment: Deployment, host: string, rawPath: string): AddressResult {
  const hostName = host.replace(/:\d+$/, '').toLowerCase();
  const byHost = API_HOST.exec(hostName);
  if (byHost) {
    const stage = firstSegment(rawPath);
    const api = (stage === undefined ? undefined : deployment.byApiStage.get(`${byHost[1]!}/${stage}`)) ?? deployment.byApiId.get(byHost[1]!);
    if (!api) return { api: undefined, api404: 'HTTP' };
    const path = belowBase(api, rawPath);
    return path === undefined ? { api: undefined, api404: api.spec.kind } : { api, path, domainName: hostName };
  }
  const stage = firstSegment(rawPath);
  const staged = stage === undefined ? undefined : deployment.byStage.get(stage);
  const api = staged ?? deployment.rootApi;
  if (!api) return { api: undefined, api404: deployment.byStage.size > 0 ? 'REST' : 'HTTP' };
  const path = belowBase(api, rawPath);
  const domainName = `${api.spec.apiId}.execute-api.localhost`;
  return path === undefined ? { api: undefined, api404: api.spec.kind } : { api, path, domainName };
}

/** The path below the API's stage (`/Prod/a` → `/a`), or undefined when the path is not under it. */
function belowBase(api: CompiledApi, rawPath: string): string | undefined {
  if (api.basePath === '') return rawPath || '/';
  const trimmed = rawPath.replace(/^\/+/, '/');
  if (trimmed === api.basePath) return '/';
  if (!trimmed.startsWith(`${api.basePath}/`)) return undefined;
  return trimmed.slice(api.basePath.length);
}

function firstSegment(rawPath: string): string | undefined {
  const match = /^\/+([^/]+)/.exec(rawPath);
  return match?.[1];
}
