/**
 * A segment trie over path templates (`/items/{id}`, `/files/{proxy+}`), compiled at deploy time. Matching walks
 * the request path once, preferring a literal segment over `{param}` over `{greedy+}` at every level and
 * backtracking when a branch dead-ends, which is API Gateway's "most specific route wins" rule.
 */
interface Node<T> {
  readonly literals: Map<string, Node<T>>;
  param: { readonly name: string; readonly node: Node<T> } | undefined;
  greedy: { readonly name: string; readonly methods: Map<string, T> } | undefined;
  readonly methods: Map<string, T>;
}

export interface RouteMatch<T> {
  readonly value: T;
  /** Raw (still percent-encoded) values. */
  readonly params: Record<string, string>;
}

function newNode<T>(): Node<T> {
  return { literals: new Map(), param: undefined, greedy: undefined, methods: new Map() };
}

export class Router<T> {
  private readonly root: Node<T> = newNode();

  /**
   * @param methodFallthrough when a path matches but not the method, keep looking at less specific paths
   *   (HTTP APIs) instead of stopping at the most specific path (REST APIs pick the resource first).
   */
  constructor(private readonly methodFallthrough: boolean) {}

  add(pathTemplate: string, method: string, value: T): void {
    let node = this.root;
    for (const segment of pathTemplate.split('/').filter(Boolean)) {
      const name = /^\{(.+?)(\+?)\}$/.exec(segment);
      if (name?.[2] === '+') {
        node.greedy ??= { name: name[1]!, methods: new Map() };
        node.greedy.methods.set(method, value);
        return;
      }
      if (name) {
        node.param ??= { name: name[1]!, node: newNode() };
        node = node.param.node;
      } else {
        let next = node.literals.get(segment);
        if (!next) node.literals.set(segment, (next = newNode()));
        node = next;
      }
    }
    node.methods.set(method, value);
  }

  /** `path` is the raw request path below the API's base (no stage), starting with `/`; undefined when no route matches. */
  match(path: string, method: string): RouteMatch<T> | undefined {
    return this.walk(this.root, path, splitSegments(path), 0, method, {}, { pathMatched: false });
  }

  private walk(
    node: Node<T>,
    path: string,
    segments: readonly Segment[],
    index: number,
    method: string,
    params: Record<string, string>,
    state: { pathMatched: boolean },
  ): RouteMatch<T> | undefined {
    if (index === segments.length) return this.atResource(node.methods, method, params, state);
    const segment = segments[index]!;
    const literal = node.literals.get(segment.text);
    if (literal) {
      const found = this.walk(literal, path, segments, index + 1, method, params, state);
      if (found || this.stopped(state)) return found;
    }
    if (node.param) {
      const found = this.walk(node.param.node, path, segments, index + 1, method, { ...params, [node.param.name]: segment.text }, state);
      if (found || this.stopped(state)) return found;
    }
    if (node.greedy) {
      const rest = path.slice(segment.start).replace(/\/+$/, '');
      return this.atResource(node.greedy.methods, method, { ...params, [node.greedy.name]: rest }, state);
    }
    return undefined;
  }

  private atResource(methods: Map<string, T>, method: string, params: Record<string, string>, state: { pathMatched: boolean }) {
    if (methods.size === 0) return undefined;
    state.pathMatched = true;
    const value = methods.get(method) ?? methods.get('ANY');
    return value === undefined ? undefined : { value, params };
  }

  /** REST APIs stop at the first resource whose path matches, whatever its methods. */
  private stopped(state: { pathMatched: boolean }): boolean {
    return !this.methodFallthrough && state.pathMatched;
  }
}

interface Segment {
  readonly text: string;
  readonly start: number;
}

/** Non-empty segments with their offsets: `//a//b/` → a@2, b@5 (API Gateway ignores empty segments when matching). */
function splitSegments(path: string): Segment[] {
  const segments: Segment[] = [];
  let start = 0;
  while (start < path.length) {
    let end = path.indexOf('/', start);
    if (end === -1) end = path.length;
    if (end > start) segments.push({ text: path.slice(start, end), start });
    start = end + 1;
  }
  return segments;
}
