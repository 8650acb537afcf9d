/**
 * The inspector's addresses and names, shared by its server (inspector.ts) and its page (page/), so
 * neither spells them on its own. Everything but the page itself lives under one prefix: the local
 * server hands a request to the inspector only when `isInspectorPath` says so.
 */
export const INSPECTOR_PREFIX = '/inspector/';
/** What only the page itself may call: reads and actions alike refuse other sites. */
export const API_PREFIX = `${INSPECTOR_PREFIX}api/`;

export const routes = {
  page: '/',
  script: `${INSPECTOR_PREFIX}app.js`,
  style: `${INSPECTOR_PREFIX}app.css`,
  icon: `${INSPECTOR_PREFIX}icon.svg`,
  info: `${API_PREFIX}info`,
  live: `${API_PREFIX}live`,
  stored: `${API_PREFIX}stored`,
  state: `${API_PREFIX}state`,
  replay: `${API_PREFIX}replay`,
  sample: `${API_PREFIX}sample`,
  /** Every event the table takes from now on, as server-sent events: `npx tencent-im events --follow` reads it. */
  feed: `${API_PREFIX}events`,
} as const;

/** The header every sending action must carry, with the per-process token the page got in its HTML. */
export const TOKEN_HEADER = 'x-inspector-token';
/** The page's `<meta name=…>` that carries the token: no inline script may hold it (CSP). */
export const TOKEN_META = 'inspector-token';

/** The SSE event names the live stream sends. */
export const liveEvents = { callback: 'callback', stored: 'stored' } as const;

export const isInspectorPath = (path: string): boolean => path === routes.page || path.startsWith(INSPECTOR_PREFIX);
