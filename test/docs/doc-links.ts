/**
 * What the docs define and what the project cites: a page's anchors (explicit `<a id>` and its
 * headings' GitHub slugs), and the references in any file (`docs/<page>.md` and `docs/<page>.md#<anchor>`,
 * from the project root) and in Markdown (relative links, from the page's folder). doc-links.test.ts
 * runs it over every tracked text file, so renaming a heading or an anchor that something cites fails.
 */
import { posix } from 'node:path';

export interface Reference {
  /** The citing file, relative to the project root. */
  readonly file: string;
  readonly line: number;
  /** The cited file, relative to the project root. */
  readonly target: string;
  readonly anchor?: string;
  /** What was written, for messages. */
  readonly written: string;
}

/** GitHub's slug of a heading's text: lower case, punctuation dropped, each space a hyphen. */
export function githubSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replaceAll(' ', '-');
}

/** The text without fenced code blocks and inline code, each character kept as a space so lines and columns stay. */
export function withoutCode(markdown: string): string {
  const blank = (text: string) => text.replace(/[^\n]/g, ' ');
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, blank).replace(/(`+)[^`\n][\s\S]*?\1/g, blank);
}

/** Every anchor a page defines: `<a id="…">` (or `name`), and each heading's slug, repeats numbered as GitHub numbers them. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const [, id] of markdown.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(id!);
  const lines = markdown.split('\n');
  const prose = withoutCode(markdown).split('\n');
  const seen = new Map<string, number>();
  lines.forEach((line, index) => {
    if (!/^#{1,6}\s/.test(prose[index] ?? '')) return; // a heading, not a `#` inside a code block
    const text = line
      .replace(/^#{1,6}\s+/, '')
      .replace(/\s+#+\s*$/, '')
      .replace(/<[^>]+>/g, '')
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .trim();
    const slug = githubSlug(text);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  });
  return anchors;
}

const lineAt = (text: string, index: number) => text.slice(0, index).split('\n').length;

/** `docs/<page>.md` and `docs/<page>.md#<anchor>` anywhere in a file (not inside a longer path or URL), from the project root. */
export function citationsIn(file: string, text: string): Reference[] {
  // An anchor followed by `<…>` or `${…}` is a pattern (`#alarm-<kebab-case name>`), not a citation.
  const pattern = (match: RegExpMatchArray) => /^[<$]/.test(text.slice(match.index! + match[0].length));
  return [...text.matchAll(/(?<![\w./-])docs\/([\w.-]+\.md)(?:#([\w-]+))?/g)]
    .filter((match) => !pattern(match))
    .map((match) => ({
      file,
      line: lineAt(text, match.index),
      target: `docs/${match[1]}`,
      anchor: match[2],
      written: match[0],
    }));
}

/** Relative links and images of a Markdown page, outside code: `[text](path#anchor)`, `(#anchor)` for the page itself. */
export function linksIn(file: string, markdown: string): Reference[] {
  const prose = withoutCode(markdown);
  return [...prose.matchAll(/!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].flatMap((match) => {
    const link = match[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(link)) return []; // https:, mailto:: not ours to check
    const [path = '', anchor] = link.split('#');
    const target = path === '' ? file : path.startsWith('/') ? path.slice(1) : posix.normalize(posix.join(posix.dirname(file), decodeURI(path)));
    return [{ file, line: lineAt(markdown, match.index), target, anchor: anchor || undefined, written: link }];
  });
}

export interface Project {
  /** Every text file to scan, by path from the project root. */
  readonly files: ReadonlyMap<string, string>;
  /** Whether a path from the project root exists (a binary file or a folder counts). */
  readonly exists: (path: string) => boolean;
}

/** One line per broken reference: the citing file and line, what it wrote, and what is missing. */
export function brokenReferences({ files, exists }: Project): string[] {
  const anchors = new Map<string, Set<string>>();
  const anchorsIn = (page: string) => {
    let found = anchors.get(page);
    if (found === undefined) {
      found = anchorsOf(files.get(page) ?? '');
      anchors.set(page, found);
    }
    return found;
  };
  const references = [...files].flatMap(([file, text]) => [...citationsIn(file, text), ...(file.endsWith('.md') ? linksIn(file, text) : [])]);
  return references.flatMap(({ file, line, target, anchor, written }) => {
    const where = `${file}:${line}: ${written}`;
    if (!files.has(target) && !exists(target)) return [`${where}: ${target} does not exist`];
    if (anchor === undefined || !target.endsWith('.md')) return [];
    if (!anchorsIn(target).has(anchor)) return [`${where}: ${target} has no anchor "${anchor}" (no <a id="${anchor}"> and no heading with that slug)`];
    return [];
  });
}
