/**
 * Every doc the project cites exists, with the anchor it names: code comments, alarm descriptions and
 * error messages cite `docs/<page>.md#<anchor>`, and Markdown links pages to each other. A renamed
 * heading or anchor, a moved page, fails here with the file and line that still cite it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { projectRoot } from '../support/processes.ts';
import { anchorsOf, brokenReferences, citationsIn, githubSlug, linksIn, type Project } from './doc-links.ts';

/** Folders git ignores, for a checkout without git (an unpacked archive). */
const ignoredFolders = new Set(['.git', 'node_modules', 'cdk.out', '.data', 'coverage', '.out']);

/** The project's files, by path from its root: git's list (tracked, and new files not ignored), else a walk. */
function projectFiles(): string[] {
  const git = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: projectRoot, encoding: 'utf8' });
  if (git.status === 0) return git.stdout.split('\0').filter((path) => path !== '' && existsSync(join(projectRoot, path)));
  const walk = (folder: string): string[] =>
    readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
      if (entry.isDirectory()) return ignoredFolders.has(entry.name) ? [] : walk(join(folder, entry.name));
      return [relative(projectRoot, join(folder, entry.name))];
    });
  return walk(projectRoot);
}

/** Text files only: a NUL byte in the first 8 KB marks a binary (the screenshot). */
function readProject(): Project {
  const files = new Map<string, string>();
  for (const path of projectFiles()) {
    const bytes = readFileSync(join(projectRoot, path));
    if (!bytes.subarray(0, 8192).includes(0)) files.set(path, bytes.toString('utf8'));
  }
  return { files, exists: (path) => existsSync(join(projectRoot, path)) };
}

/** The synthetic pages below live in this folder, named so that this file cites no page itself. */
const docs = 'docs';
const cite = (page: string, anchor?: string) => `${docs}/${page}.md${anchor === undefined ? '' : `#${anchor}`}`;

describe('doc references', () => {
  test('every cited page and anchor exists, in code, infra, tests and docs alike', () => {
    const project = readProject();
    expect(project.files.has('README.md')).toBe(true);
    expect(project.files.has('functions/callback/handler.ts')).toBe(true);
    expect(brokenReferences(project)).toEqual([]);
  });

  test('the code cites the docs: a scan that finds nothing would pass anything', () => {
    const { files } = readProject();
    const cited = [...files].flatMap(([file, text]) => (file.endsWith('.md') ? [] : citationsIn(file, text)));
    expect(cited.length).toBeGreaterThan(40);
    expect(cited.filter(({ anchor }) => anchor !== undefined).length).toBeGreaterThan(40);
  });

  test('a missing page, a missing anchor and a broken relative link are each reported, with file and line', () => {
    const files = new Map([
      [`${docs}/a.md`, '# A page\n\n<a id="kept"></a>\n## Some `code` here\n\n[up](../README.md) [gone](b.md) [self](#kept) [there](#nowhere)\n'],
      ['README.md', `# Readme\n\nSee [a](${cite('a', 'some-code-here')}) and ![shot](${docs}/shot.png).\n\n\`\`\`\n[not a link](nothing.md)\n\`\`\`\n`],
      ['src/x.ts', `// ${cite('a', 'kept')}, ${cite('a', 'renamed')}, ${cite('c')}\n// https://example.com/${cite('z')} is someone else's\n`],
    ]);
    const problems = brokenReferences({ files, exists: (path) => path === `${docs}/shot.png` });
    expect(problems).toEqual([
      `${docs}/a.md:6: b.md: ${docs}/b.md does not exist`,
      `${docs}/a.md:6: #nowhere: ${docs}/a.md has no anchor "nowhere" (no <a id="nowhere"> and no heading with that slug)`,
      `src/x.ts:1: ${cite('a', 'renamed')}: ${docs}/a.md has no anchor "renamed" (no <a id="renamed"> and no heading with that slug)`,
      `src/x.ts:1: ${cite('c')}: ${docs}/c.md does not exist`,
    ]);
  });

  test("headings' anchors are GitHub's slugs, repeats numbered", () => {
    expect(githubSlug('Moving a deployed table')).toBe('moving-a-deployed-table');
    expect(githubSlug('`Api5xx`: the API answered 5xx')).toBe('api5xx-the-api-answered-5xx');
    expect([...anchorsOf('# Tests\n## Tests\n```\n# not a heading\n```\n### [Linked](x.md) <a id="own"></a>\n')]).toEqual([
      'own',
      'tests',
      'tests-1',
      'linked',
    ]);
    expect(linksIn(`${docs}/x.md`, '[a](../bench/README.md#what-it-measures)')).toMatchObject([{ target: 'bench/README.md', anchor: 'what-it-measures' }]);
  });
});

describe('the runbook', () => {
  const operations = readFileSync(join(projectRoot, 'docs/operations.md'), 'utf8');

  test('each alarm entry is anchored alarm-<kebab-case name>, the anchor alarm descriptions cite', () => {
    // An entry is `<a id="alarm-…"></a>` then `### \`AlarmName\``: FanOutIteratorAge → alarm-fan-out-iterator-age.
    const entries = [...operations.matchAll(/^((?:<a id="[^"]+"><\/a>)+)\n### `(\w+)`$/gm)].map(([, anchors, name]) => ({ anchors: anchors!, name: name! }));
    const headings = [...operations.matchAll(/^### `(\w+)`$/gm)].map(([, name]) => name);
    expect(entries.map(({ name }) => name)).toEqual(headings);
    expect(entries.length).toBeGreaterThan(0);
    for (const { anchors, name } of entries) {
      const kebab = name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
      expect([name, anchors]).toEqual([name, expect.stringContaining(`<a id="alarm-${kebab}"></a>`)]);
    }
  });
});
