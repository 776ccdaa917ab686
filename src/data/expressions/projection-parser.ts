import { DynamoValidationError } from '../types/errors.js';
import type { DocumentPath } from './ast.js';
import { checkPathOverlaps, type ParseState, parsePath } from './common.js';
import { checkExpressionText, ErrorSink, type ExpressionContext } from './context.js';
import { SyntaxFailure, tokenize, TokenStream } from './tokenizer.js';

// Grammar: developer guide, "Projection expressions"; messages and precedence: architect/dynalite
// db/projectionParser.pegjs.
const ERROR_ORDER = ['reserved', 'attrNameVal', 'pathOverlap', 'pathConflict'];

/** Parses a ProjectionExpression into document paths; throws "Invalid ProjectionExpression: …". */
export function parseProjection(expression: string, ctx: ExpressionContext): DocumentPath[] {
  const kind = 'ProjectionExpression';
  checkExpressionText(kind, expression);
  const ts = new TokenStream(expression, tokenize(expression));
  const state: ParseState = { ts, ctx, errors: new ErrorSink(), keywords: new Set(), nameCategory: 'attrNameVal', valueCategory: 'attrNameVal', operators: 0 };
  const paths: DocumentPath[] = [];
  try {
    paths.push(parsePath(state));
    while (ts.isPunct(',')) {
      ts.next();
      paths.push(parsePath(state));
    }
    if (ts.peek().kind !== 'eof') ts.fail();
  } catch (e) {
    if (e instanceof SyntaxFailure) throw ts.syntaxError(kind);
    throw e;
  }
  checkPathOverlaps(state.errors, paths);
  const message = state.errors.first(ERROR_ORDER);
  if (message !== undefined) throw new DynamoValidationError(`Invalid ${kind}: ${message}`);
  return paths;
}
