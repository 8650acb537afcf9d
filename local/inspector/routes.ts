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
  /** The per-process token, for a page that outlived a restart of npm start. */
  token: `${API_PREFIX}token`,
  /** `?eventId=`: what became of the event's forwarding (IM_FORWARD_URL). */
  deliveries: `${API_PREFIX}deliveries`,
  /** Every event the table takes from now on, as server-sent events: `npx tencent-im events --follow` reads it. */
  feed: `${API_PREFIX}events`,
  /**
   * A deployed receiver's event, as `npx tencent-im listen --inspector URL` received it from the bus
   * (deployed-events.ts): shown on the open pages, never stored. A tool's route: browsers are refused.
   */
  deployed: `${API_PREFIX}deployed`,
} as const;

/** The header every sending action must carry, with the per-process token the page got in its HTML. */
export const TOKEN_HEADER = 'x-inspector-token';
/** The `reason` of a refusal for a stale or missing token: the page then fetches the token again (routes.token) and retries. */
export const TOKEN_REFUSAL = 'token';
export type RefusalReason = typeof TOKEN_REFUSAL;

/** The page's `<meta name=…>` that carries the token: no inline script may hold it (CSP). */
export const TOKEN_META = 'inspector-token';

/** The SSE event names the live stream sends. */
export const liveEvents = { callback: 'callback', stored: 'stored', delivery: 'delivery', deployed: 'deployed' } as const;

export const isInspectorPath = (path: string): boolean => path === routes.page || path.startsWith(INSPECTOR_PREFIX);
