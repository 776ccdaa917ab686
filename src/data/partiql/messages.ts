// DynamoDB's PartiQL error messages. Sources: DynamoDB Local's ValidationExceptionMessages (the messages of the
// service's PartiQL front end), behaviour recorded against DynamoDB Local and DynamoDB (DuplicateItem, "Expected data
// manipulation", "Number of parameters in request and statement don't match.", NextToken messages), and the API
// reference (ExecuteStatement, BatchExecuteStatement, BatchStatementError). Any other statement that does not parse is
// answered, as DynamoDB Local answers it, with "wasn't well formed" followed by the statement itself.
export const PARTIQL_MESSAGES = {
  malformed: (detail: string) => `Statement wasn't well formed, can't be processed: ${detail}`,
  notDml: 'Expected data manipulation',
  parameterCount: "Number of parameters in request and statement don't match.",
  incompleteKey: 'Where clause does not contain a mandatory equality on all key attributes',
  emptyBag: 'Empty bags are not supported',
  bagType: 'Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags',
  keyType: (key: string) => `Key attribute's data type should match its data type in table's schema: Key ${key}`,
  keyAbsent: (key: string) => `Key attribute should be present in the item: Key ${key}`,
  starAndOthers: "Other attributes should not be present in the projection when '*' is used.",
  missingLiteral: 'MISSING must be compared using IS operator',
  invalidNextToken: 'Invalid NextToken',
  tokenMismatch: 'NextToken does not match request',
  unrecognizedFunction: (name: string) => `Unrecognized function: ${name}`,
  conditionOperator: (op: string) => `Unsupported operator in Condition Expression. Operator: ${op}`,
  returningInsert: 'RETURNING is not supported in INSERT',
  itemFormat: 'Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.',
  returningDelete: (clause: string) => `Invalid returning clause: RETURNING ${clause}. Only RETURNING ALL OLD * is allowed in DELETE statements.`,
  returningSyntax: "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause",
  onIndex: 'This operation is not supported on an index',
  pathElements: 'A path may contain at most 2 components in the FROM clause',
  duplicateTupleKey: (key: string, under: string) => `Duplicate keys in tuple. Key: ${key} under ${under}`,
  batchSelectKey: 'Select statements within BatchExecuteStatement must specify the primary key in the where clause.',
  batchMixed: 'Read and write requests together in the same batch is not supported.',
  transactionSelectKey: 'Select statements within ExecuteTransaction must specify the primary key in the where clause.',
  transactionMixed: 'ExecuteTransaction API does not support both read and write operations in the same request.',
} as const;

/** Statements nested deeper than this are refused as malformed, rather than parsed with unbounded recursion. */
export const MAX_NESTING = 64;
