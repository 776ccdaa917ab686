/**
 * Resources the SAM transform generates and templates reference by their generated logical ids: `<Fn>Role`,
 * `ServerlessRestApi`, `ServerlessHttpApi`, `<Api><Stage>Stage`, `<Api>Deployment<hash>`, `<Fn><Event>Permission…`
 * and friends (names as in "Generated CloudFormation resources for AWS SAM").
 */

import { samUsagePlanIds } from './usage-plans.js';
import { isRecord, type JsonRecord } from './values.js';

export const IMPLICIT_REST_API = 'ServerlessRestApi';
export const IMPLICIT_HTTP_API = 'ServerlessHttpApi';
export const IMPLICIT_REST_STAGE = 'Prod';

/** An explicit, active resource with its (Globals-merged, unresolved) properties. */
export interface DeclaredResource {
  readonly logicalId: string;
  readonly type: string;
  readonly props: JsonRecord;
}

export interface ImplicitResource {
  readonly type: string;
  /** Properties of the generated resource, resolved on demand. */
  readonly props: Readonly<Record<string, () => unknown>>;
}

export interface Candidate extends ImplicitResource {
  matches(id: string): boolean;
}

/** Lazy access to values of declared resources (their Ref, and resolved properties). */
export interface DeclaredValues {
  ref(logicalId: string): unknown;
  prop(logicalId: string, name: string): unknown;
}

const exact = (name: string) => (id: string) => id === name;
const prefix = (start: string) => (id: string) => id.startsWith(start);

/** Event type -> type of the resource SAM generates under `<Fn><Event>`. */
const EVENT_RESOURCE: Readonly<Record<string, string>> = {
  Schedule: 'AWS::Events::Rule',
  CloudWatchEvent: 'AWS::Events::Rule',
  EventBridgeRule: 'AWS::Events::Rule',
  ScheduleV2: 'AWS::Scheduler::Schedule',
  SQS: 'AWS::Lambda::EventSourceMapping',
  Kinesis: 'AWS::Lambda::EventSourceMapping',
  DynamoDB: 'AWS::Lambda::EventSourceMapping',
  MSK: 'AWS::Lambda::EventSourceMapping',
  MQ: 'AWS::Lambda::EventSourceMapping',
  SelfManagedKafka: 'AWS::Lambda::EventSourceMapping',
  DocumentDB: 'AWS::Lambda::EventSourceMapping',
  SNS: 'AWS::SNS::Subscription',
  CloudWatchLogs: 'AWS::Logs::SubscriptionFilter',
  IoTRule: 'AWS::IoT::TopicRule',
};

export function eventsOf(props: JsonRecord): [string, JsonRecord][] {
  const events = isRecord(props.Events) ? props.Events : {};
  return Object.entries(events).flatMap(([id, e]) => (isRecord(e) ? [[id, e] as [string, JsonRecord]] : []));
}

function eventProps(event: JsonRecord): JsonRecord {
  return isRecord(event.Properties) ? event.Properties : {};
}

/** Whether any function has an event of `type` that does not name its API (so SAM creates the implicit one). */
export function usesImplicitApi(resources: readonly DeclaredResource[], type: 'Api' | 'HttpApi'): boolean {
  const key = type === 'Api' ? 'RestApiId' : 'ApiId';
  return resources.some(
    (r) => r.type === 'AWS::Serverless::Function' && eventsOf(r.props).some(([, e]) => e.Type === type && !(key in eventProps(e))),
  );
}

/** Logical ids drop the non-alphanumeric characters of a stage name (`v1.0` -> `v10`). */
const stageId = (stage: unknown): string => String(stage).replace(/[^A-Za-z0-9]/g, '');

function functionCandidates(r: DeclaredResource, values: DeclaredValues): Candidate[] {
  const fn = r.logicalId;
  const fnRef = () => values.ref(fn);
  const out: Candidate[] = [];
  if (!('Role' in r.props)) out.push({ matches: exact(`${fn}Role`), type: 'AWS::IAM::Role', props: {} });
  if ('FunctionUrlConfig' in r.props) {
    out.push({ matches: exact(`${fn}Url`), type: 'AWS::Lambda::Url', props: { TargetFunctionArn: fnRef } });
  }
  if ('AutoPublishAlias' in r.props) {
    const alias = () => values.prop(fn, 'AutoPublishAlias');
    out.push({ matches: prefix(`${fn}Version`), type: 'AWS::Lambda::Version', props: { FunctionName: fnRef } });
    const aliasId = (id: string) => id === `${fn}Alias${String(alias())}`;
    out.push({ matches: aliasId, type: 'AWS::Lambda::Alias', props: { FunctionName: fnRef, Name: alias } });
  }
  for (const [eventId, event] of eventsOf(r.props)) {
    out.push({ matches: prefix(`${fn}${eventId}Permission`), type: 'AWS::Lambda::Permission', props: {} });
    const type = EVENT_RESOURCE[String(event.Type)];
    if (type) out.push({ matches: exact(`${fn}${eventId}`), type, props: {} });
  }
  return out;
}

function restApiCandidates(api: string, stage: () => unknown): Candidate[] {
  return [
    { matches: prefix(`${api}Deployment`), type: 'AWS::ApiGateway::Deployment', props: {} },
    { matches: (id) => id === `${api}${stageId(stage())}Stage`, type: 'AWS::ApiGateway::Stage', props: { StageName: stage } },
  ];
}

function httpApiCandidates(api: string, stage: () => unknown): Candidate[] {
  const isDefault = () => stage() === undefined || stage() === '$default';
  const matches = (id: string) => id === (isDefault() ? `${api}ApiGatewayDefaultStage` : `${api}${stageId(stage())}Stage`);
  return [{ matches, type: 'AWS::ApiGatewayV2::Stage', props: { StageName: () => stage() ?? '$default' } }];
}

/** `Auth.UsagePlan` resources, so `!Ref MyApiApiKey` (the usual way to output the key's id) resolves. */
function usagePlanCandidates(api: string, props: JsonRecord): Candidate[] {
  const ids = samUsagePlanIds(api, props.Auth);
  if (ids === undefined) return [];
  return [
    { matches: exact(ids.plan), type: 'AWS::ApiGateway::UsagePlan', props: {} },
    { matches: exact(ids.key), type: 'AWS::ApiGateway::ApiKey', props: {} },
    { matches: exact(ids.planKey), type: 'AWS::ApiGateway::UsagePlanKey', props: {} },
  ];
}

/** Every generated resource implied by the declared ones, as match rules (some names embed hashes). */
export function implicitCandidates(resources: readonly DeclaredResource[], values: DeclaredValues): Candidate[] {
  const out: Candidate[] = [];
  for (const r of resources) {
    const stage = () => values.prop(r.logicalId, 'StageName');
    if (r.type === 'AWS::Serverless::Function') out.push(...functionCandidates(r, values));
    if (r.type === 'AWS::Serverless::Api') out.push(...restApiCandidates(r.logicalId, stage), ...usagePlanCandidates(r.logicalId, r.props));
    if (r.type === 'AWS::Serverless::HttpApi') out.push(...httpApiCandidates(r.logicalId, stage));
    if (r.type === 'AWS::Serverless::StateMachine' && !('Role' in r.props)) {
      out.push({ matches: exact(`${r.logicalId}Role`), type: 'AWS::IAM::Role', props: {} });
    }
  }
  if (usesImplicitApi(resources, 'Api')) {
    out.push({ matches: exact(IMPLICIT_REST_API), type: 'AWS::Serverless::Api', props: { StageName: () => IMPLICIT_REST_STAGE } });
    out.push(...restApiCandidates(IMPLICIT_REST_API, () => IMPLICIT_REST_STAGE));
  }
  if (usesImplicitApi(resources, 'HttpApi')) {
    out.push({ matches: exact(IMPLICIT_HTTP_API), type: 'AWS::Serverless::HttpApi', props: {} });
    out.push(...httpApiCandidates(IMPLICIT_HTTP_API, () => undefined));
  }
  return out;
}

export function findImplicit(candidates: readonly Candidate[], id: string): ImplicitResource | undefined {
  return candidates.find((c) => c.matches(id));
}
