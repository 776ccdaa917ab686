export * from './ast.js';
export { ExpressionContext, EXPRESSION_MESSAGES, MAX_EXPRESSION_BYTES, MAX_OPERATORS, type ExpressionKind } from './context.js';
export { parseCondition } from './condition-parser.js';
export { parseUpdate } from './update-parser.js';
export { parseProjection } from './projection-parser.js';
export { evaluateCondition, applyUpdate, project, resolvePath, UPDATE_MESSAGES } from './evaluate.js';
export { keyCondition, type KeySchema, type KeyConditionResult, type SortKeyOperator } from './key-condition.js';
export { isReservedWord, RESERVED_WORDS } from './reserved-words.js';
export { tokenize, syntaxErrorMessage, type Token } from './tokenizer.js';
