import type { DocumentPath } from './ast.js';
import { checkPathOverlaps, expectEnd, type Grammar, parseCommaList, parseExpression, parsePath } from './common.js';
import type { ExpressionContext } from './context.js';

// Grammar: developer guide, "Projection expressions"; messages and precedence: architect/dynalite
// db/projectionParser.pegjs.
const GRAMMAR: Grammar = {
  keywords: new Set(),
  nameCategory: 'attrNameVal',
  valueCategory: 'attrNameVal',
  errorOrder: ['reserved', 'attrNameVal', 'pathOverlap', 'pathConflict'],
};

/** Parses a ProjectionExpression into document paths; throws "Invalid ProjectionExpression: …". */
export function parseProjection(expression: string, ctx: ExpressionContext): DocumentPath[] {
  return parseExpression('ProjectionExpression', expression, ctx, GRAMMAR, (state) => {
    const paths = parseCommaList(state, () => parsePath(state));
    expectEnd(state);
    checkPathOverlaps(state.errors, paths);
    return paths;
  });
}
