/**
 * Template text -> plain data. YAML templates use CloudFormation's short-form tags (`!Ref`, `!Sub` …), which are
 * rewritten here into their long form (`{ Ref: … }`, `{ 'Fn::Sub': … }`) so the resolver only knows one shape.
 */

import {
  parseDocument,
  visit,
  type CollectionTag,
  type Document,
  type Node,
  type ScalarTag,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { TemplateError } from '../model.js';

/** Short-form tag -> long-form key. */
const SHORT_FORMS: Readonly<Record<string, string>> = {
  Ref: 'Ref',
  Condition: 'Condition',
  GetAtt: 'Fn::GetAtt',
  Sub: 'Fn::Sub',
  Join: 'Fn::Join',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  If: 'Fn::If',
  Equals: 'Fn::Equals',
  And: 'Fn::And',
  Or: 'Fn::Or',
  Not: 'Fn::Not',
  FindInMap: 'Fn::FindInMap',
  Base64: 'Fn::Base64',
  ImportValue: 'Fn::ImportValue',
  GetAZs: 'Fn::GetAZs',
  Cidr: 'Fn::Cidr',
  Transform: 'Fn::Transform',
  Length: 'Fn::Length',
  ToJsonString: 'Fn::ToJsonString',
};

/** `!GetAtt Res.Attr` splits on the first dot only: attributes such as `Endpoint.Address` contain dots. */
function scalarForm(name: string, key: string, text: string): unknown {
  if (name === 'GetAtt') {
    const dot = text.indexOf('.');
    return { [key]: dot < 0 ? [text, ''] : [text.slice(0, dot), text.slice(dot + 1)] };
  }
  return { [key]: text };
}

/** Each tag may appear on a scalar, a sequence or a mapping; yaml needs one definition per node kind. */
function cloudFormationTags(): (ScalarTag | CollectionTag)[] {
  return Object.entries(SHORT_FORMS).flatMap(([name, key]): (ScalarTag | CollectionTag)[] => [
    { tag: `!${name}`, resolve: (text: string) => scalarForm(name, key, text) },
    { tag: `!${name}`, collection: 'seq', resolve: (seq) => ({ [key]: plain(seq as YAMLSeq) }) },
    { tag: `!${name}`, collection: 'map', resolve: (map) => ({ [key]: plain(map as YAMLMap) }) },
  ]);
}

const TAGS = cloudFormationTags();

/** A tagged collection's content as plain data (tags resolve before the document-wide pass, so fix numbers here). */
function plain(node: YAMLSeq | YAMLMap): unknown {
  keepNumberSpelling(node);
  return node.toJSON();
}

/**
 * YAML 1.2 turns `012345678901` into 12345678901 and `1.0` into 1, losing what the author wrote; CloudFormation
 * keeps scalars as text (account ids, version strings like PayloadFormatVersion 1.0). Keep the source text for
 * numbers whose canonical form differs from it.
 */
function keepNumberSpelling(node: Document | Node): void {
  visit(node, {
    Scalar(_key, node) {
      if (typeof node.value === 'number' && typeof node.source === 'string' && String(node.value) !== node.source) {
        node.value = node.source;
      }
    },
  });
}

function parseYaml(text: string, fileName: string): unknown {
  const doc = parseDocument(text, { customTags: TAGS, prettyErrors: true, uniqueKeys: true });
  // Unknown tags are only warnings to yaml, but CloudFormation rejects them, so both lists are fatal.
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const at = problem.linePos?.[0];
    const where = at ? `line ${at.line}, column ${at.col}` : 'unknown position';
    const what = problem.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new TemplateError(`invalid YAML at ${where}: ${what}`, fileName);
  }
  keepNumberSpelling(doc);
  return doc.toJS({ maxAliasCount: 1000 });
}

function lineOf(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, col: (before.at(-1)?.length ?? 0) + 1 };
}

/**
 * Where JSON.parse failed. V8 says either "at position N" or, for an unexpected token, quotes the text around it
 * (`..."10 chars before, token, 10 after"...`), from which the offset is recovered.
 */
function jsonErrorOffset(text: string, message: string): number | undefined {
  const position = /position (\d+)/.exec(message);
  if (position) return Number(position[1]);
  const token = /Unexpected token '(.)', (\.\.\.)?"([\s\S]*)"(?:\.\.\.)? is not valid JSON/.exec(message);
  if (!token) return undefined;
  const [, char, clipped, context] = token as unknown as [string, string, string | undefined, string];
  const start = text.indexOf(context);
  if (start < 0) return undefined;
  return clipped ? start + 10 : text.indexOf(char, start);
}

function parseJson(text: string, fileName: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const offset = jsonErrorOffset(text, message);
    const where = offset === undefined ? undefined : lineOf(text, offset);
    const at = where ? ` at line ${where.line}, column ${where.col}` : '';
    throw new TemplateError(`invalid JSON${at}: ${message.replace(/\n/g, '\\n')}`, fileName);
  }
}

/** Parses a template or included document; `fileName` (for messages) also decides JSON versus YAML. */
export function parseTemplateText(text: string, fileName: string): unknown {
  return fileName.toLowerCase().endsWith('.json') ? parseJson(text, fileName) : parseYaml(text, fileName);
}
