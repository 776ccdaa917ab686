// UpdateItem's legacy AttributeUpdates (PUT, ADD, DELETE per attribute), checked with DynamoDB's messages and
// translated into the UpdateExpression AST: PUT is SET, DELETE without a value is REMOVE, ADD and DELETE of a set
// (or ADD of a number) are ADD and DELETE, ADD of a list appends. Messages: architect/dynalite validations/updateItem.js,
// asserted against DynamoDB in its test/updateItem.js; semantics: API reference, "AttributeValueUpdate".
import type { UpdateAction, UpdateExpression } from '../expressions/ast.js';
import { UPDATE_MESSAGES } from '../expressions/evaluate.js';
import { readItem } from '../service/tables.js';
import { FieldChecks, shape, type Json } from '../service/validation.js';
import type { AttributeValue } from '../types/attribute-value.js';
import { DynamoValidationError } from '../types/errors.js';
import { structMember } from '../actions/batch-common.js';

export interface AttributeUpdate {
  readonly attribute: string;
  readonly action: string;
  readonly value: AttributeValue | undefined;
}

const INVALID = 'One or more parameter values were invalid: ';
const SETS = ['SS', 'NS', 'BS'];

export function readAttributeUpdates(data: Json, checks: FieldChecks): AttributeUpdate[] | undefined {
  const map = shape.struct(data, 'AttributeUpdates');
  if (map === undefined) return undefined;
  return Object.entries(map).map(([attribute, raw]) => {
    const body = structMember(raw);
    const action = shape.string(body, 'Action') ?? 'PUT';
    checks.enumValue(action, `attributeUpdates.${attribute}.member.action`, ['ADD', 'PUT', 'DELETE']);
    const rawValue = shape.struct(body, 'Value');
    const value = rawValue === undefined ? undefined : readItem({ v: rawValue }).v;
    return { attribute, action, value };
  });
}

export function checkAttributeUpdates(updates: AttributeUpdate[] | undefined): void {
  for (const { action, value } of updates ?? []) {
    if (value === undefined && action !== 'DELETE') throw new DynamoValidationError(`${INVALID}Only DELETE action is allowed when no attribute value is specified`);
    const type = value && Object.keys(value)[0]!;
    if (type && action === 'DELETE' && !SETS.includes(type)) throw new DynamoValidationError(`${INVALID}DELETE action with value is not supported for the type ${type}`);
    if (type && action === 'ADD' && ![...SETS, 'N', 'L'].includes(type)) throw new DynamoValidationError(`${INVALID}ADD action is not supported for the type ${type}`);
  }
}

function translate({ attribute, action, value }: AttributeUpdate): UpdateAction {
  const path = [attribute];
  if (action === 'PUT') return { kind: 'set', path, value: { kind: 'value', placeholder: ':legacy', value: value! } };
  if (action === 'DELETE') return value ? { kind: 'delete', path, value } : { kind: 'remove', path };
  if (!('L' in value!)) return { kind: 'add', path, value: value! };
  // ADD of a list appends to the list, creating it when absent.
  const existing = { kind: 'function' as const, name: 'if_not_exists', args: [{ kind: 'path' as const, path }, { kind: 'value' as const, placeholder: ':legacy', value: { L: [] } }] };
  return { kind: 'set', path, value: { kind: 'function', name: 'list_append', args: [existing, { kind: 'value', placeholder: ':legacy', value: value! }] } };
}

export function updateOfLegacy(updates: AttributeUpdate[]): UpdateExpression {
  return { actions: updates.map(translate) };
}

/** Runs `apply` (the update of a stored item) with AWS's wording for a legacy ADD or DELETE of the wrong type. */
export function withLegacyTypeMessage<T>(apply: () => T): T {
  try {
    return apply();
  } catch (e) {
    if (e instanceof DynamoValidationError && e.message === UPDATE_MESSAGES.incorrectType) throw new DynamoValidationError('Type mismatch for attribute to update');
    throw e;
  }
}
