// Account-level operations. DescribeLimits answers DynamoDB's default quotas (developer guide, "Service, account, and
// table quotas": 80,000 read and write units per account, 40,000 per table). DescribeEndpoints names the endpoint the
// client reached (its Host header), cached for 1440 minutes as DynamoDB answers.
import type { Action } from './common.js';

export const describeLimits: Action = async () => ({
  AccountMaxReadCapacityUnits: 80_000,
  AccountMaxWriteCapacityUnits: 80_000,
  TableMaxReadCapacityUnits: 40_000,
  TableMaxWriteCapacityUnits: 40_000,
});

export const describeEndpoints: Action = async (_data, ctx) => ({
  Endpoints: [{ Address: ctx.request.headers.host ?? `dynamodb.${ctx.region}.amazonaws.com`, CachePeriodInMinutes: 1440 }],
});
