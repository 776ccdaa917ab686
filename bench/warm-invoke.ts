// 5. Warm invoke overhead over calling the handler in-process: sequential invokes (one connection) of the hello
// function through the gateway and through the Lambda Invoke API (SigV4-signed by @aws-sdk/client-lambda), against
// calling the same handler function in this process. For context, the same client against the bare server (the
// HTTP floor) and GetFunctionConfiguration through the same SDK client (the AWS endpoint + SDK floor, no invoke).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GetFunctionConfigurationCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { BenchConfig } from './lib/config.js';
import { get, keepAliveAgent } from './lib/http.js';
import { APPS_DIR } from './lib/paths.js';
import type { Bare, Portico } from './lib/proc.js';
import { ratio, type MeasurementResult } from './lib/results.js';
import { summarize, type Summary } from './lib/stats.js';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/** A representative HTTP API (payload 2.0) event for GET /hello, for the in-process calls. */
const EVENT = {
  version: '2.0',
  routeKey: 'GET /hello',
  rawPath: '/hello',
  rawQueryString: '',
  headers: { host: '127.0.0.1', 'user-agent': 'bench', accept: '*/*' },
  requestContext: {
    accountId: '123456789012',
    apiId: 'bench',
    domainName: '127.0.0.1',
    domainPrefix: '127',
    http: { method: 'GET', path: '/hello', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
    requestId: 'bench',
    routeKey: 'GET /hello',
    stage: '$default',
    time: '01/Jan/2025:00:00:00 +0000',
    timeEpoch: 1735689600000,
  },
  isBase64Encoded: false,
};

async function timed(n: number, call: () => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await call();
    out.push((performance.now() - started) * 1000);
  }
  return out;
}

/** Runs the callers in alternating blocks (A B A B …) so that drift falls on all of them alike. */
async function alternating(n: number, callers: Record<string, () => Promise<void>>, blocks = 4): Promise<Record<string, Summary>> {
  const samples: Record<string, number[]> = {};
  for (const name of Object.keys(callers)) {
    await timed(Math.max(20, Math.ceil(n / 10)), callers[name]!); // warm-up
    samples[name] = [];
  }
  for (let b = 0; b < blocks; b++) {
    for (const [name, call] of Object.entries(callers)) samples[name]!.push(...(await timed(Math.ceil(n / blocks), call)));
  }
  return Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, summarize(s)]));
}

export async function measureWarmInvoke(portico: Portico, bare: Bare, cfg: BenchConfig): Promise<MeasurementResult> {
  const functionName = 'bench-hello';
  if (!portico.functions.includes(functionName)) throw new Error(`no function ${functionName} in ${portico.functions.join(', ')}`);

  // In process: the handler itself, as a function call.
  const mod = (await import(pathToFileURL(join(APPS_DIR, 'hello/src/app.mjs')).href)) as { handler: Handler };
  const context = { awsRequestId: 'bench', functionName, getRemainingTimeInMillis: () => 10_000 };
  const inProcess = await alternating(cfg.inProcessN, { inProcess: async () => void (await mod.handler(EVENT, context)) });

  // Through the gateway, against the bare server with the same client.
  const gatewayAgent = keepAliveAgent();
  const bareAgent = keepAliveAgent();
  const expectOk = (url: string, agent: ReturnType<typeof keepAliveAgent>) => async (): Promise<void> => {
    const reply = await get(url, agent);
    if (reply.status !== 200) throw new Error(`GET ${url} answered ${reply.status}: ${reply.body.slice(0, 200)}`);
  };
  const http = await alternating(cfg.sequentialN, {
    gateway: expectOk(`${portico.gateway}/hello`, gatewayAgent),
    bare: expectOk(`${bare.url}/hello`, bareAgent),
  });
  gatewayAgent.destroy();
  bareAgent.destroy();

  // Through the Lambda Invoke API, against GetFunctionConfiguration with the same client.
  const lambda = new LambdaClient({ endpoint: portico.awsEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const payload = Buffer.from(JSON.stringify(EVENT));
  const sdk = await alternating(cfg.invokeN, {
    invoke: async () => {
      const out = await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: payload }));
      if (out.StatusCode !== 200 || out.FunctionError) throw new Error(`Invoke answered ${out.StatusCode} ${out.FunctionError ?? ''}`);
    },
    getConfiguration: async () => void (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }))),
  });
  lambda.destroy();

  const ip = inProcess.inProcess!;
  const gw = http.gateway!;
  const bareS = http.bare!;
  const inv = sdk.invoke!;
  const cfgS = sdk.getConfiguration!;
  const inProcLabel = 'handler in-process';
  return {
    id: '5',
    title: `Warm invoke, sequential (1 connection): ${cfg.sequentialN} gateway / ${cfg.invokeN} Invoke API calls vs the handler in-process`,
    rows: [
      { id: '5', metric: 'gateway GET /hello, p50', unit: 'µs', portico: gw.p50, baseline: ip.p50, baselineLabel: inProcLabel, ratio: ratio(gw.p50, ip.p50), note: `overhead over the in-process call: ${(gw.p50 - ip.p50).toFixed(0)} µs at p50` },
      { id: '5', metric: 'gateway GET /hello, p99', unit: 'µs', portico: gw.p99, baseline: ip.p99, baselineLabel: inProcLabel, ratio: ratio(gw.p99, ip.p99) },
      { id: '5', metric: 'gateway GET /hello, p50 vs HTTP floor', unit: 'µs', portico: gw.p50, baseline: bareS.p50, baselineLabel: 'bare server', ratio: ratio(gw.p50, bareS.p50), note: `added over a bare HTTP round trip: ${(gw.p50 - bareS.p50).toFixed(0)} µs at p50, ${(gw.p99 - bareS.p99).toFixed(0)} µs at p99` },
      { id: '5', metric: 'Invoke API (SDK), p50', unit: 'µs', portico: inv.p50, baseline: ip.p50, baselineLabel: inProcLabel, ratio: ratio(inv.p50, ip.p50) },
      { id: '5', metric: 'Invoke API (SDK), p99', unit: 'µs', portico: inv.p99, baseline: ip.p99, baselineLabel: inProcLabel, ratio: ratio(inv.p99, ip.p99) },
      { id: '5', metric: 'Invoke API p50 vs SDK+endpoint floor', unit: 'µs', portico: inv.p50, baseline: cfgS.p50, baselineLabel: 'GetFunctionConfiguration', ratio: ratio(inv.p50, cfgS.p50), note: `the invocation itself adds ${(inv.p50 - cfgS.p50).toFixed(0)} µs at p50 over an SDK call Portico answers without invoking` },
    ],
    details: { inProcessUs: ip, gatewayUs: gw, bareUs: bareS, invokeUs: inv, getFunctionConfigurationUs: cfgS },
  };
}
