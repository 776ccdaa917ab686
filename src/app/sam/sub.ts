/**
 * `Fn::Sub` template text: `${Name}` placeholders, `${Res.Attr}` attribute placeholders and the `${!Literal}`
 * escape, which CloudFormation emits as `${Literal}` unchanged (used for shell, VTL and stage-variable syntax).
 */

import { TemplateError } from '../model.js';

export type SubPart = { readonly literal: string } | { readonly variable: string };

export function parseSub(text: string, path: string): SubPart[] {
  const parts: SubPart[] = [];
  let rest = text;
  while (rest.length > 0) {
    const start = rest.indexOf('${');
    if (start < 0) {
      parts.push({ literal: rest });
      break;
    }
    if (start > 0) parts.push({ literal: rest.slice(0, start) });
    const end = rest.indexOf('}', start + 2);
    if (end < 0) throw new TemplateError(`Fn::Sub has an unclosed "\${" in ${JSON.stringify(text)}`, path);
    const inner = rest.slice(start + 2, end);
    if (inner.startsWith('!')) parts.push({ literal: `\${${inner.slice(1)}}` });
    else if (inner.trim() === '') throw new TemplateError(`Fn::Sub has an empty "\${}" in ${JSON.stringify(text)}`, path);
    else parts.push({ variable: inner.trim() });
    rest = rest.slice(end + 1);
  }
  return parts;
}

/** Replaces every placeholder with `lookup(name)`; literal parts are kept byte for byte. */
export function substitute(text: string, path: string, lookup: (name: string) => string): string {
  return parseSub(text, path)
    .map((part) => ('literal' in part ? part.literal : lookup(part.variable)))
    .join('');
}
