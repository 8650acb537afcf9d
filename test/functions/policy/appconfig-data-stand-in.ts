import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in of the AppConfig Data API (moto serves none of it), as the SDK speaks it (rest-json):
 * `POST /configurationsessions` starts a session and gives a token; `GET /configuration?configuration_token=…`
 * gives the document the first time and after each change, an empty body when the caller has the
 * latest, and a new single-use token each time (docs: research notes §1.1, the SDK's serializer).
 * `deploy` changes the document; `failing` makes every call fail as AppConfig does when it is down.
 */
export interface AppConfigDataStandIn {
  readonly endpoint: string;
  /** Every request, `METHOD path`, for the tests to count round trips. */
  readonly requests: string[];
  deploy(content: string): void;
  failing(down: boolean): void;
  close(): Promise<void>;
}

export async function startAppConfigDataStandIn(
  location: { application: string; environment: string; profile: string },
  content?: string,
): Promise<AppConfigDataStandIn> {
  let document = content === undefined ? undefined : { version: 1, content };
  let down = false;
  const tokens = new Map<string, { seen: number | undefined }>();
  const requests: string[] = [];
  const error = (response: ServerResponse, status: number, type: string, message: string) => {
    response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
    response.end(JSON.stringify({ Message: message }));
  };
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://stand-in');
      requests.push(`${request.method} ${url.pathname}`);
      if (down) return error(response, 500, 'InternalServerException', 'AppConfig is down (stand-in)');
      if (request.method === 'POST' && url.pathname === '/configurationsessions') {
        const asked = JSON.parse(body || '{}') as Record<string, string>;
        const known =
          asked.ApplicationIdentifier === location.application &&
          asked.EnvironmentIdentifier === location.environment &&
          asked.ConfigurationProfileIdentifier === location.profile &&
          document !== undefined;
        if (!known) return error(response, 404, 'ResourceNotFoundException', 'no such configuration');
        const token = randomUUID();
        tokens.set(token, { seen: undefined });
        response.writeHead(201, { 'content-type': 'application/json' });
        return response.end(JSON.stringify({ InitialConfigurationToken: token }));
      }
      if (request.method === 'GET' && url.pathname === '/configuration') {
        const token = url.searchParams.get('configuration_token') ?? '';
        const state = tokens.get(token);
        if (state === undefined || document === undefined) return error(response, 400, 'BadRequestException', 'invalid or expired configuration token');
        tokens.delete(token);
        const changed = state.seen !== document.version;
        const next = randomUUID();
        tokens.set(next, { seen: document.version });
        response.writeHead(200, {
          'next-poll-configuration-token': next,
          'next-poll-interval-in-seconds': '60',
          'content-type': 'application/json',
          ...(changed ? { 'version-label': String(document.version) } : {}),
        });
        return response.end(changed ? document.content : '');
      }
      error(response, 404, 'ResourceNotFoundException', 'no such route');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    deploy(next) {
      document = { version: (document?.version ?? 0) + 1, content: next };
    },
    failing(isDown) {
      down = isDown;
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
