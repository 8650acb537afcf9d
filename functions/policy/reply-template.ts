import type { Body } from '../commands/definition.ts';
import { readPath } from '../commands/field-path.ts';
import { comparable } from './comparable.ts';

/**
 * A reply rule's text (docs/policy.md#reply): fixed, or a template whose `{Path}` parts are the
 * body's fields, e.g. `"got {Data} from {From_Account}"`. `{{` and `}}` are literal braces. A part
 * whose field is absent (or not a string or number) becomes empty: the reply is still sent.
 */
const part = /\{\{|\}\}|\{([^{}]+)\}/g;

/** The field paths a template reads, checked at load against the command's schema. */
export function templateFields(template: string): string[] {
  return [...template.matchAll(part)].flatMap((match) => (match[1] === undefined ? [] : [match[1].trim()]));
}

/** The template with each `{Path}` replaced by the first string or number at that path of the body. */
export function fillTemplate(template: string, body: Body): string {
  return template.replace(part, (whole, path: string | undefined) => {
    if (path === undefined) return whole[0]!;
    return (
      readPath(body, path.trim())
        .map(comparable)
        .find((text) => text !== undefined) ?? ''
    );
  });
}
