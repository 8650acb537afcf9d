/**
 * The page's only way to make elements. Values go in as text (textContent) or attributes, never as
 * HTML: a body holding `<img onerror=…>` stays characters on the screen.
 */
export interface ElementSpec {
  readonly class?: string;
  readonly text?: string;
  readonly testid?: string;
  readonly data?: Readonly<Record<string, string | undefined>>;
  readonly attrs?: Readonly<Record<string, string>>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, spec: ElementSpec = {}, children: readonly Node[] = []): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  apply(element, spec);
  element.append(...children);
  return element;
}

const SVG = 'http://www.w3.org/2000/svg';

export function svg(tag: string, attrs: Readonly<Record<string, string | number>> = {}, text?: string): SVGElement {
  const element = document.createElementNS(SVG, tag) as SVGElement;
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

function apply(element: HTMLElement, spec: ElementSpec) {
  if (spec.class) element.className = spec.class;
  if (spec.text !== undefined) element.textContent = spec.text;
  if (spec.testid) element.dataset.testid = spec.testid;
  for (const [name, value] of Object.entries(spec.data ?? {})) if (value !== undefined) element.dataset[name] = value;
  for (const [name, value] of Object.entries(spec.attrs ?? {})) element.setAttribute(name, value);
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page has no #${id}`);
  return found as T;
}

/** An outcome as a class name, so the style sheet colours it; unknown outcomes get the default. */
export const outcomeClass = (outcome: string) => `o-${outcome.toLowerCase().replaceAll(/[^a-z0-9-]/g, '')}`;

/** Local time to the millisecond: what a developer compares with their own logs. */
export function clock(at: number): string {
  const date = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/** JSON text pretty-printed, or as it came when it is not JSON. */
export function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
