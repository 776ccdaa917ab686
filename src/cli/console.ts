import type { LogBatch } from '../observability/log-store.js';
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
      lines.push(`    ${key}  →  ${route.functionStageVariable === undefined ? route.functionLogicalId : `\${stageVariables.${route.functionStageVariable}}`}`);
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
 * Function log lines as they happen, prefixed with the function's logical id. The log store hands them over in
 * batches every few milliseconds: a terminal write is synchronous, and one per line would slow a busy gateway.
 */
export function printLogBatch(platform: Platform): (batch: LogBatch) => void {
  return (batch) => {
    let out = '';
    let group: string | undefined;
    let prefix: string | undefined;
    for (let i = 0; i < batch.texts.length; i++) {
      if (batch.groups[i] !== group) {
        group = batch.groups[i]!;
        prefix = functionPrefix(platform, group);
      }
      const text = batch.texts[i]!;
      if (prefix === undefined || text.length === 0) continue;
      // Every line gets the prefix, and a last line without its newline gets one.
      const body = text.endsWith('\n') ? text.slice(0, -1) : text;
      out += `${prefix}${body.replaceAll('\n', `\n${prefix}`)}\n`;
    }
    if (out.length > 0) process.stdout.write(out);
  };
}

/** `[HelloFunction] ` for a function's log group; undefined for any other group (access logs …). */
function functionPrefix(platform: Platform, logGroupName: string): string | undefined {
  if (!logGroupName.startsWith('/aws/lambda/')) return undefined;
  const name = logGroupName.slice('/aws/lambda/'.length);
  const fn = platform.deployment.app.functions.find((f) => f.name === name);
  return `[${fn?.logicalId ?? name}] `;
}
