import type { IncomingMessage, ServerResponse } from 'node:http';
import { type InspectorGuard, type Refusal, refuse } from './guard.ts';
import { readJsonBody } from './inspector-requests.ts';
import { isInspectorPath, routes } from './routes.ts';

/** A read: the page, its files, its API's GETs. */
export type GetRoute = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void> | void;
/** An action, with its JSON body. */
export type PostRoute = (response: ServerResponse, body: unknown) => Promise<void>;

/** An action a tool on this machine sends, never a page (`listen --inspector`): its body has a bound of its own. */
export interface ToolRoute {
  readonly post: PostRoute;
  readonly maxBytes: number;
}

export interface RouteTable {
  readonly gets: Readonly<Record<string, GetRoute>>;
  readonly posts: Readonly<Record<string, PostRoute>>;
  readonly tools?: Readonly<Record<string, ToolRoute>>;
}

/**
 * The inspector's requests to their routes, with the guard's checks where they belong: the Host
 * first (421), then the route (404) and its method (405), for a tool's route any browser (403), the
 * site for the API (403), and for an action the token (403), then its JSON body (a tool's route
 * bounded by its own `maxBytes`, 413). A route that throws is answered 500, never left hanging.
 */
export function inspectorRouter(table: RouteTable, guard: InspectorGuard) {
  async function route(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://inspector');
    /** Answers a refusal, if there is one, and says whether there was. */
    const refused = (refusal: Refusal | undefined): boolean => {
      if (refusal !== undefined) refuse(response, refusal.status, refusal.message, {}, refusal.reason);
      return refusal !== undefined;
    };
    if (refused(guard.host(request))) return;
    const get = table.gets[url.pathname];
    const tool = table.tools?.[url.pathname];
    const post = table.posts[url.pathname] ?? tool?.post;
    if (get === undefined && post === undefined)
      return refuse(response, 404, `the inspector has nothing at ${url.pathname.slice(0, 200)}: open ${routes.page}`);
    const method = get ? 'GET' : 'POST';
    if (request.method !== method) return refuse(response, 405, `use ${method} here`, { allow: method });
    if (tool !== undefined && refused(guard.tool(request))) return;
    if (refused(guard.site(request, url.pathname))) return;
    if (get) return get(request, response, url);
    if (refused(guard.sender(request))) return;
    const body = await readJsonBody(request, tool?.maxBytes);
    if ('problem' in body) return refuse(response, body.status, body.problem);
    await post!(response, body.value);
  }

  return {
    /**
     * Its own prefix, and `GET /`: a POST to `/` is a callback URL set without its path, which the
     * callback route answers in Tencent's words (use POST /callback).
     */
    owns(request: IncomingMessage): boolean {
      const path = new URL(request.url ?? '/', 'http://inspector').pathname;
      return isInspectorPath(path) && (path !== routes.page || request.method === 'GET');
    },
    async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
      try {
        await route(request, response);
      } catch (error) {
        if (!response.headersSent) refuse(response, 500, `the inspector failed: ${(error as Error).message}`);
        else response.destroy();
      }
    },
  };
}
