/**
 * The inspector's addresses and names, shared by its server (inspector.ts) and its page (page/), so
 * neither spells them on its own. Everything but the page itself lives under one prefix: the local
 * server hands a request to the inspector only when `isInspectorPath` says so.
 */
export const INSPECTOR_PREFIX = '/inspector/';

export const routes = {
  page: '/',
  script: `${INSPECTOR_PREFIX}app.js`,
  style: `${INSPECTOR_PREFIX}app.css`,
  icon: `${INSPECTOR_PREFIX}icon.svg`,
  info: `${INSPECTOR_PREFIX}api/info`,
  live: `${INSPECTOR_PREFIX}api/live`,
  stored: `${INSPECTOR_PREFIX}api/stored`,
  state: `${INSPECTOR_PREFIX}api/state`,
  replay: `${INSPECTOR_PREFIX}api/replay`,
  sample: `${INSPECTOR_PREFIX}api/sample`,
} as const;

/** The header every sending action must carry, with the per-process token the page got in its HTML. */
export const TOKEN_HEADER = 'x-inspector-token';
/** The page's `<meta name=…>` that carries the token: no inline script may hold it (CSP). */
export const TOKEN_META = 'inspector-token';

/** The SSE event names the live stream sends. */
export const liveEvents = { callback: 'callback', stored: 'stored' } as const;

export const isInspectorPath = (path: string): boolean => path === routes.page || path.startsWith(INSPECTOR_PREFIX);
