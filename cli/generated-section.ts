/**
 * A generated part of a Markdown page, between two marker comments: the commands table in
 * docs/commands.md, the settings table in README.md. The generator rewrites what lies between; a test
 * compares the page with its rewrite, so the page and its source cannot drift apart.
 */
export interface GeneratedSection {
  /** The page, relative to the project root, for messages. */
  readonly page: string;
  /** What it is, for messages: "commands table". */
  readonly name: string;
  readonly start: string;
  readonly end: string;
}

/** The page's text with the section's content replaced; an error naming the markers when they are missing. */
export function withSection(text: string, section: GeneratedSection, content: string): string {
  const start = text.indexOf(section.start);
  const end = text.indexOf(section.end);
  if (start < 0 || end < start) throw new Error(`${section.page} has no ${section.name} between "${section.start}" and "${section.end}"`);
  return `${text.slice(0, start + section.start.length)}\n${content}\n${text.slice(end)}`;
}
