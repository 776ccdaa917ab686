/**
 * Evaluates the IAM policy a Lambda authorizer returns against the request's method ARN, as API Gateway does
 * (api-gateway-lambda-authorizer-output.md; aws-behaviour §5.3): a statement applies when one of its `Action`s
 * matches `execute-api:Invoke` and one of its `Resource`s matches the ARN, `*` matching any run of characters
 * (slashes included) and `?` any one character. Any applicable `Deny` wins; otherwise an applicable `Allow`
 * allows; otherwise the request is implicitly denied. A document that is not a policy (no `Statement`, an `Effect`
 * other than Allow/Deny, actions or resources that are not strings) is malformed: API Gateway answers 500.
 */

export type PolicyVerdict = 'allow' | 'deny' | 'implicit-deny';

/** The verdict, or undefined when the document is malformed. */
export function evaluatePolicy(document: unknown, methodArn: string): PolicyVerdict | undefined {
  if (!isRecord(document)) return undefined;
  const statements = Array.isArray(document.Statement) ? document.Statement : isRecord(document.Statement) ? [document.Statement] : undefined;
  if (statements === undefined) return undefined;
  let allowed = false;
  let denied = false;
  for (const statement of statements) {
    if (!isRecord(statement)) return undefined;
    const effect = statement.Effect;
    if (effect !== 'Allow' && effect !== 'Deny') return undefined;
    const actions = stringList(statement.Action);
    const resources = stringList(statement.Resource);
    if (actions === undefined || resources === undefined) return undefined;
    const applies = actions.some((a) => wildcardMatch(a.toLowerCase(), 'execute-api:invoke')) && resources.some((r) => wildcardMatch(r, methodArn));
    if (!applies) continue;
    if (effect === 'Deny') denied = true;
    else allowed = true;
  }
  if (denied) return 'deny';
  return allowed ? 'allow' : 'implicit-deny';
}

/** IAM's wildcard match: `*` any run of characters, `?` exactly one; everything else literal. */
export function wildcardMatch(pattern: string, text: string): boolean {
  // Iterative glob matching with one backtrack point: linear in practice, no regular expression built per call.
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    const c = pattern.charCodeAt(p);
    if (p < pattern.length && (c === 63 /* ? */ || c === text.charCodeAt(t))) {
      p++;
      t++;
    } else if (p < pattern.length && c === 42 /* * */) {
      star = p++;
      resume = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 42) p++;
  return p === pattern.length;
}

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
