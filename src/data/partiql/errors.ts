/**
 * A statement that does not parse. DynamoDB answers every such statement with "Statement wasn't well formed, can't be
 * processed: " and the statement itself (DynamoDB Local's PartiQL front end), so the failure carries no detail.
 */
export class PartiqlSyntaxError extends Error {
  constructor() {
    super('PartiQL syntax error');
  }
}
