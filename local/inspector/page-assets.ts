import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { routes, TOKEN_META } from './routes.ts';

const pageDir = join(import.meta.dirname, 'page');

export interface PageAssets {
  readonly script: string;
  readonly style: string;
}

/**
 * The page's script and style, bundled by esbuild from page/ into memory when the page is first
 * asked for: nothing to keep in step on disk or ignore in git, nothing for a fresh clone to build
 * first, and a process that never opens the page never loads esbuild (npm start stays as quick).
 */
export async function buildPageAssets(): Promise<PageAssets> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [join(pageDir, 'main.ts'), join(pageDir, 'inspector.css')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    outdir: 'inspector',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const output = (extension: string) => result.outputFiles.find((file) => file.path.endsWith(extension))!.text;
  return { script: output('.js'), style: output('.css') };
}

const escapeAttribute = (text: string) => text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');

/** The page, with the per-process token in a meta tag: the script reads it there (no inline script). */
export async function pageHtml(token: string): Promise<string> {
  const template = await readFile(join(pageDir, 'index.html'), 'utf8');
  return template
    .replace('%TOKEN_META%', `<meta name="${TOKEN_META}" content="${escapeAttribute(token)}">`)
    .replace('%STYLE%', routes.style)
    .replace('%SCRIPT%', routes.script)
    .replace('%ICON%', routes.icon);
}

export const iconSvg =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0b6bcb"/><path d="M4 5h8M4 8h8M4 11h5" stroke="#fff" stroke-width="1.6"/></svg>';
