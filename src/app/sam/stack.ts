/**
 * Where the stack "lives": name, region, account and the partition values derived from the region. Every ARN,
 * URL and pseudo parameter is built from this one record so they agree with each other.
 */

import { TemplateError } from '../model.js';
import { uuidFrom } from './naming.js';

export interface StackEnv {
  readonly stackName: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly urlSuffix: string;
}

/** China and GovCloud regions live in their own partitions, with their own DNS suffix. */
function partitionOf(region: string): { partition: string; urlSuffix: string } {
  if (region.startsWith('cn-')) return { partition: 'aws-cn', urlSuffix: 'amazonaws.com.cn' };
  if (region.startsWith('us-gov-')) return { partition: 'aws-us-gov', urlSuffix: 'amazonaws.com' };
  return { partition: 'aws', urlSuffix: 'amazonaws.com' };
}

export function makeStackEnv(stackName: string, region: string, accountId: string): StackEnv {
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new TemplateError(`not a region name: ${JSON.stringify(region)}`, 'region');
  if (!/^\d{12}$/.test(accountId)) throw new TemplateError(`must be 12 digits, got ${JSON.stringify(accountId)}`, 'accountId');
  return { stackName, region, accountId, ...partitionOf(region) };
}

/** Placeholder for `AWS::NoValue`: the containing key or list item disappears. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/** Values of the pseudo parameters (`AWS::NoValue` is handled by the resolver as a removal). */
export function pseudoParameters(env: StackEnv): ReadonlyMap<string, unknown> {
  const stackUuid = uuidFrom(`stack:${env.stackName}`);
  const stackId = `arn:${env.partition}:cloudformation:${env.region}:${env.accountId}:stack/${env.stackName}/${stackUuid}`;
  return new Map<string, unknown>([
    ['AWS::Region', env.region],
    ['AWS::AccountId', env.accountId],
    ['AWS::StackName', env.stackName],
    ['AWS::StackId', stackId],
    ['AWS::Partition', env.partition],
    ['AWS::URLSuffix', env.urlSuffix],
    ['AWS::NotificationARNs', []],
    ['AWS::NoValue', NO_VALUE],
  ]);
}
