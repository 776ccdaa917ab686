/**
 * The intrinsic function resolver: turns any template value into plain data, evaluating `Ref`, `Fn::*` and
 * `AWS::NoValue`. Errors carry the property path being resolved so users can find the offending line.
 */

import { TemplateError } from '../model.js';
import { valuesEqual, type ConditionTable } from './conditions.js';
import * as fns from './intrinsic-values.js';
import type { ParamValue } from './parameters.js';
import { NO_VALUE, pseudoParameters, type StackEnv } from './stack.js';
import { substitute } from './sub.js';
import { child, describe, isRecord, requireRecord, scalarText, type JsonRecord } from './values.js';

/** What the resolver needs to know about resources; implemented by the resource table. */
export interface References {
  /** `Ref` value of a resource (or SAM `Res.Stage`-style reference); undefined when no such resource exists. */
  ref(name: string, path: string): unknown;
  /** `Fn::GetAtt` value; throws a TemplateError when the resource does not exist. */
  getAtt(logicalId: string, attribute: string, path: string): unknown;
}

export interface ResolverScope {
  readonly env: StackEnv;
  readonly parameters: ReadonlyMap<string, ParamValue>;
  readonly mappings: JsonRecord;
  readonly conditions: ConditionTable;
  readonly references: References;
  readonly importValues: Readonly<Record<string, string>>;
}

type Handler = (arg: unknown, path: string) => unknown;

export class Resolver {
  private readonly pseudo: ReadonlyMap<string, unknown>;
  private readonly handlers: Readonly<Record<string, Handler>>;

  constructor(private readonly scope: ResolverScope) {
    this.pseudo = pseudoParameters(scope.env);
    scope.conditions.bind((value, path) => this.resolve(value, path));
    this.handlers = this.makeHandlers();
  }

  /** Resolves a value completely. The result may be NO_VALUE when the whole value is `Ref: AWS::NoValue`. */
  resolve(value: unknown, path: string): unknown {
    if (Array.isArray(value)) {
      return value.map((item, i) => this.resolve(item, child(path, i))).filter((item) => item !== NO_VALUE);
    }
    if (!isRecord(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'))) {
      return this.intrinsic(keys[0]!, value[keys[0]!], path);
    }
    const out: JsonRecord = {};
    for (const key of keys) {
      const resolved = this.resolve(value[key], child(path, key));
      if (resolved !== NO_VALUE) out[key] = resolved;
    }
    return out;
  }

  /** Evaluates a named condition (resource `Condition:`, output `Condition:`). */
  condition(name: unknown, path: string): boolean {
    return this.scope.conditions.get(name, path);
  }

  private intrinsic(name: string, arg: unknown, path: string): unknown {
    const handler = this.handlers[name];
    if (!handler) throw new TemplateError(`unsupported intrinsic function ${name}`, path);
    return handler(arg, path);
  }

  /** Resolves an intrinsic's argument; argument positions keep the property's path so messages stay readable. */
  private arg(value: unknown, path: string): unknown {
    if (Array.isArray(value)) return value.map((item) => this.arg(item, path)).filter((item) => item !== NO_VALUE);
    return this.resolve(value, path);
  }

  private makeHandlers(): Record<string, Handler> {
    const { env, mappings } = this.scope;
    const resolved = (fn: (arg: unknown, path: string) => unknown): Handler => (arg, path) => fn(this.arg(arg, path), path);
    return {
      Ref: (arg, path) => this.ref(arg, path),
      'Fn::GetAtt': (arg, path) => this.getAtt(arg, path),
      'Fn::Sub': (arg, path) => this.sub(arg, path),
      'Fn::If': (arg, path) => this.fnIf(arg, path),
      'Fn::Equals': (arg, path) => this.equals(arg, path),
      'Fn::And': (arg, path) => this.scope.conditions.evaluate({ 'Fn::And': arg }, path),
      'Fn::Or': (arg, path) => this.scope.conditions.evaluate({ 'Fn::Or': arg }, path),
      'Fn::Not': (arg, path) => this.scope.conditions.evaluate({ 'Fn::Not': arg }, path),
      'Fn::ImportValue': (arg, path) => this.importValue(arg, path),
      'Fn::Transform': (arg, path) => this.transform(arg, path),
      'Fn::Join': resolved(fns.join),
      'Fn::Select': resolved(fns.select),
      'Fn::Split': resolved(fns.split),
      'Fn::Base64': resolved(fns.base64),
      'Fn::GetAZs': resolved((a, p) => fns.getAZs(a, env.region, p)),
      'Fn::FindInMap': resolved((a, p) => fns.findInMap(a, mappings, p)),
      'Fn::Length': resolved(fns.length),
      'Fn::ToJsonString': resolved(fns.toJsonString),
      'Fn::Cidr': resolved(fns.cidr),
    };
  }

  private ref(arg: unknown, path: string): unknown {
    if (typeof arg !== 'string') throw new TemplateError(`Ref needs a name, got ${describe(arg)}`, path);
    if (this.pseudo.has(arg)) return this.pseudo.get(arg);
    if (this.scope.parameters.has(arg)) return this.scope.parameters.get(arg);
    const value = this.scope.references.ref(arg, path);
    if (value === undefined) {
      throw new TemplateError(`Ref to ${describe(arg)}: no parameter, pseudo parameter or resource has that name`, path);
    }
    return value;
  }

  private getAtt(arg: unknown, path: string): unknown {
    let target: unknown;
    let attribute: unknown;
    // The string form splits on the first dot only: attributes such as `Endpoint.Address` contain dots.
    if (typeof arg === 'string' && arg.includes('.')) [target, attribute] = [arg.slice(0, arg.indexOf('.')), arg.slice(arg.indexOf('.') + 1)];
    else if (Array.isArray(arg) && arg.length === 2) [target, attribute] = [arg[0], this.resolve(arg[1], path)];
    if (typeof target !== 'string' || typeof attribute !== 'string' || attribute === '') {
      throw new TemplateError(`Fn::GetAtt needs [LogicalId, Attribute], got ${describe(arg)}`, path);
    }
    if (this.scope.parameters.has(target)) {
      throw new TemplateError(`Fn::GetAtt on parameter ${describe(target)}: parameters have no attributes`, path);
    }
    return this.scope.references.getAtt(target, attribute, path);
  }

  private sub(arg: unknown, path: string): string {
    let text: unknown = arg;
    let vars: JsonRecord = {};
    if (Array.isArray(arg)) {
      if (arg.length !== 2) throw new TemplateError(`Fn::Sub takes a string or [string, variables], got ${describe(arg)}`, path);
      text = this.resolve(arg[0], path);
      vars = requireRecord(arg[1], path, 'a mapping of Fn::Sub variables');
    }
    if (typeof text !== 'string') throw new TemplateError(`Fn::Sub needs a string, got ${describe(text)}`, path);
    return substitute(text, path, (name) => this.subVariable(name, vars, path));
  }

  /** A `${…}` placeholder: explicit variables first, then `Res.Attr`, then anything `Ref` accepts. */
  private subVariable(name: string, vars: JsonRecord, path: string): string {
    let value: unknown;
    if (Object.hasOwn(vars, name)) value = this.resolve(vars[name], path);
    else if (name.includes('.') && !this.scope.parameters.has(name)) value = this.getAtt(name, path);
    else value = this.ref(name, path);
    if (Array.isArray(value)) throw new TemplateError(`Fn::Sub variable \${${name}} is a list, not a string`, path);
    return scalarText(value, path);
  }

  private fnIf(arg: unknown, path: string): unknown {
    if (!Array.isArray(arg) || arg.length !== 3) {
      throw new TemplateError(`Fn::If takes [Condition, ValueIfTrue, ValueIfFalse], got ${describe(arg)}`, path);
    }
    return this.resolve(this.condition(arg[0], path) ? arg[1] : arg[2], path);
  }

  private equals(arg: unknown, path: string): boolean {
    if (!Array.isArray(arg) || arg.length !== 2) throw new TemplateError(`Fn::Equals takes two values, got ${describe(arg)}`, path);
    return valuesEqual(this.resolve(arg[0], path), this.resolve(arg[1], path));
  }

  private importValue(arg: unknown, path: string): string {
    const name = scalarText(this.resolve(arg, path), path);
    const value = this.scope.importValues[name];
    if (value === undefined) {
      throw new TemplateError(`Fn::ImportValue: no value for export ${describe(name)}; supply it as an import value`, path);
    }
    return value;
  }

  /** AWS::Include is expanded before resolution (it needs file reads); anything left is a macro we cannot run. */
  private transform(arg: unknown, path: string): never {
    const name = isRecord(arg) ? arg.Name : undefined;
    throw new TemplateError(`Fn::Transform ${describe(name)} is not supported (only AWS::Include with a local Location)`, path);
  }
}
