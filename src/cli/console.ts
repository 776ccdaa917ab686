import type { LogEvent } from '../observability/log-store.js';
import type { Platform } from '../platform.js';

/** Prints where everything is: each API's URLs and routes, and the AWS endpoint. */
export function printBanner(platform: Platform): void {
  const base = platform.gatewayUrl;
  const lines: string[] = [`Portico is serving ${platform.deployment.app.stackName}`, `Gateway      ${base}`];
  for (const api of platform.deployment.apis) {
    const stagePath = api.basePath;
    lines.push('', `${api.spec.logicalId} (${api.spec.kind === 'REST' ? 'REST API' : 'HTTP API'}, stage ${api.spec.stageName})`);
    lines.push(`  by host  http://${api.spec.apiId}.execute-api.localhost:${platform.gatewayPort}${stagePath}`);
    lines.push(`  by path  ${base}${stagePath}`);
    for (const route of api.spec.routes) {
      const key = route.path === '$default' ? '$default' : `${route.method.padEnd(6)} ${stagePath}${route.path}`;
      lines.push(`    ${key}  →  ${route.functionLogicalId}`);
    }
  }
  lines.push('', `AWS endpoint ${platform.awsEndpointUrl}`);
  lines.push(`  export AWS_ENDPOINT_URL=${platform.awsEndpointUrl} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=${platform.deployment.app.region}`);
  lines.push(`Functions    ${platform.deployment.app.functions.map((f) => f.name).join(', ') || '(none)'}`);
  // Values the template does not give are generated: shown here, the only place besides `GetApiKeys?includeValues`.
  for (const { spec, value } of platform.templateApiKeys.filter((k) => k.spec.value === undefined)) {
    lines.push(`API key      ${spec.logicalId} (id ${spec.id}${spec.enabled ? '' : ', disabled'}): ${value}`);
  }
  const { created, existing, notices } = platform.tables;
  if (created.length + existing.length > 0) lines.push(`Tables       ${tablesSummary(platform)}`);
  for (const mapping of platform.deployment.app.eventSourceMappings) {
    const table = /:table\/([^/]+)\/stream\//.exec(mapping.eventSourceArn)?.[1] ?? mapping.eventSourceArn;
    lines.push(`Stream       ${table}  →  ${mapping.functionName} (${mapping.logicalId}${mapping.enabled ? '' : ', disabled'})`);
  }
  for (const warning of [...platform.deployment.app.warnings, ...platform.deployment.warnings, ...notices]) lines.push(`Notice: ${warning}`);
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

/** `notes (created), events (kept)`: the template's tables and what the last start or redeploy did. */
export function tablesSummary(platform: Platform): string {
  const { created, existing } = platform.tables;
  return [...created.map((n) => `${n} (created)`), ...existing.map((n) => `${n} (kept)`)].join(', ');
}

/**
 * Function log lines as they happen, prefixed with the function's logical id. Lines are gathered and written every
 * few milliseconds: a terminal write is synchronous, and one per line would slow a busy gateway.
 */
export function printLogEvent(platform: Platform): (event: LogEvent) => void {
  let pending: string[] = [];
  const flush = (): void => {
    process.stdout.write(pending.join(''));
    pending = [];
  };
  return (event) => {
    if (!event.logGroupName.startsWith('/aws/lambda/')) return;
    const name = event.logGroupName.slice('/aws/lambda/'.length);
    const fn = platform.deployment.app.functions.find((f) => f.name === name);
    if (pending.length === 0) setTimeout(flush, 25).unref();
    pending.push(`[${fn?.logicalId ?? name}] ${event.message.endsWith('\n') ? event.message : `${event.message}\n`}`);
  };
}
