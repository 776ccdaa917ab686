/**
 * A REST API's stages beyond its `StageName`: SAM's extra `Stage` stage, and the stages that
 * `AWS::ApiGateway::Stage` and `AWS::ApiGateway::Deployment` (`StageName`, `StageDescription`) resources create for an
 * `AWS::Serverless::Api` they name by `!Ref`. Each stage has its own `Variables`, `MethodSettings` and cache.
 */

import type { ApiSpec, StageSpec } from '../model.js';
import { TemplateError } from '../model.js';
import { cacheOf } from './caching.js';
import { apiIdFor } from './naming.js';
import { throttlingOf } from './throttling.js';
import { child, describe, optionalRecord, scalarText, stringMap, type JsonRecord } from './values.js';

/**
 * SAM's deployment resource creates a stage named `Stage` besides `StageName`, for backwards compatibility, unless
 * the API sets `OpenApiVersion` (sam-resource-api.md, OpenApiVersion). It has no variables or method settings.
 */
export const SAM_EXTRA_STAGE = 'Stage';

export function samExtraStage(props: JsonRecord, stageName: string): StageSpec[] {
  if (props.OpenApiVersion !== undefined || stageName === SAM_EXTRA_STAGE) return [];
  return [{ stageName: SAM_EXTRA_STAGE, stageVariables: {} }];
}

/** The settings one stage carries, read from a SAM Api's properties, a Stage's, or a Deployment's StageDescription. */
export function stageSettings(stageName: string, props: JsonRecord, path: string): StageSpec {
  const throttling = throttlingOf('REST', props, path);
  const cache = cacheOf(props, path);
  return {
    stageName,
    stageVariables: stringMap(props.Variables, child(path, 'Variables')),
    ...(throttling ? { throttling } : {}),
    ...(cache ? { cache } : {}),
  };
}

/** A resolved `AWS::ApiGateway::Stage` or `AWS::ApiGateway::Deployment`. */
export interface StageResource {
  readonly logicalId: string;
  readonly type: string;
  readonly props: JsonRecord;
}

export const STAGE_RESOURCE_TYPES = new Set(['AWS::ApiGateway::Stage', 'AWS::ApiGateway::Deployment']);

/** The APIs with the stages of `AWS::ApiGateway::Stage`/`Deployment` resources added to the API each names. */
export function withStageResources(apis: readonly ApiSpec[], resources: readonly StageResource[], stackName: string): ApiSpec[] {
  const added = new Map<string, StageSpec[]>();
  for (const resource of resources) {
    const at = `Resources.${resource.logicalId}.Properties`;
    const api = apis.find((a) => a.kind === 'REST' && apiIdFor(stackName, a.logicalId) === resource.props.RestApiId);
    // A stage of a plain AWS::ApiGateway::RestApi belongs to an API Portico does not serve.
    if (!api) continue;
    const stage = stageOf(resource, at);
    if (!stage) continue;
    const stages = added.get(api.apiId) ?? [];
    const taken = [api.stageName, ...(api.extraStages ?? []), ...stages].some((s) => (typeof s === 'string' ? s : s.stageName) === stage.stageName);
    if (taken) throw new TemplateError(`${api.logicalId} already has a stage named ${describe(stage.stageName)}`, child(at, 'StageName'));
    stages.push(stage);
    added.set(api.apiId, stages);
  }
  return apis.map((api) => {
    const stages = added.get(api.apiId);
    return stages ? { ...api, extraStages: [...(api.extraStages ?? []), ...stages] } : api;
  });
}

const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;

function stageOf(resource: StageResource, at: string): StageSpec | undefined {
  const { props } = resource;
  if (resource.type === 'AWS::ApiGateway::Deployment' && props.StageName === undefined) return undefined;
  const name = scalarText(props.StageName, child(at, 'StageName'));
  if (!STAGE_NAME.test(name)) throw new TemplateError(`stage names may contain only letters, digits, "-" and "_", got ${describe(name)}`, child(at, 'StageName'));
  if (resource.type === 'AWS::ApiGateway::Stage') return stageSettings(name, props, at);
  const descriptionAt = child(at, 'StageDescription');
  return stageSettings(name, optionalRecord(props.StageDescription, descriptionAt), descriptionAt);
}
