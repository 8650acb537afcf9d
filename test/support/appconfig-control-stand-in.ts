import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The AppConfig control plane for `npm run policy -- --deploy`: moto behind a small proxy that adds
 * what moto 5.2 does not serve (research notes §1.6: environments, deployment strategies and
 * deployments answer 404, and validators are stored but never run). moto keeps the applications,
 * profiles and hosted configuration versions, and checks their ids; the proxy answers, as the SDK
 * speaks them (rest-json, the client's serializers):
 *
 * - ValidateConfiguration `POST /applications/{a}/configurationprofiles/{p}/validators?configuration_version=N`:
 *   reads the version from moto and runs `validate` on it, as AppConfig invokes the profile's
 *   validator function; a throw is a 400 BadRequestException, reason InvalidConfiguration, with the
 *   thrown message in its details (the detail's exact wording in AWS is not documented);
 * - StartDeployment `POST /applications/{a}/environments/{e}/deployments`: for the environment and
 *   strategy ids the test declares, validating again as AppConfig does before it deploys;
 * - GetDeployment `GET /applications/{a}/environments/{e}/deployments/{n}`: the next state of `rollout`
 *   on each call, then the last one.
 *
 * Every other request is proxied to moto. `requests` lists every request (`METHOD path`) that reached
 * AWS, proxied or answered.
 */
export interface AppConfigControlStandIn {
  readonly endpoint: string;
  readonly requests: string[];
  /** The states GetDeployment answers, in order, for the deployments started from now on. */
  rollout(states: readonly string[]): void;
  close(): Promise<void>;
}

export interface AppConfigControlOptions {
  readonly moto: string;
  readonly environmentId: string;
  readonly strategyId: string;
  /** What AppConfig's call of the profile's validator function does: a throw refuses the document. */
  readonly validate: (content: string) => Promise<void>;
}

export async function startAppConfigControlStandIn(options: AppConfigControlOptions): Promise<AppConfigControlStandIn> {
  const requests: string[] = [];
  let rollout: readonly string[] = ['COMPLETE'];
  const deployments = new Map<string, { states: string[]; body: Record<string, unknown> }>();
  const answer = (response: ServerResponse, status: number, body?: unknown, type?: string) => {
    response.writeHead(status, { 'content-type': 'application/json', ...(type === undefined ? {} : { 'x-amzn-errortype': type }) });
    response.end(body === undefined ? '' : JSON.stringify(body));
  };
  const version = async (application: string, profile: string, number: string) => {
    // moto's server picks the service from the credential scope of the Authorization header (it checks no signature).
    const found = await fetch(`${options.moto}/applications/${application}/configurationprofiles/${profile}/hostedconfigurationversions/${number}`, {
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/eu-west-1/appconfig/aws4_request, SignedHeaders=host, Signature=0' },
    });
    return found.ok ? await found.text() : undefined;
  };
  /** Undefined when the validator accepts, else the BadRequestException's body. */
  const refusal = async (content: string) => {
    try {
      await options.validate(content);
      return undefined;
    } catch (error) {
      const reason = (error as Error).message;
      return {
        Message: 'The configuration failed validation',
        Reason: 'InvalidConfiguration',
        Details: { InvalidConfiguration: [{ Type: 'LAMBDA', Reason: reason }] },
      };
    }
  };
  const proxy = (request: IncomingMessage, body: Buffer, response: ServerResponse) => {
    const target = new URL(request.url ?? '/', options.moto);
    const headers = { ...request.headers };
    delete headers.host;
    const forwarded = httpRequest(target, { method: request.method, headers }, (answered) => {
      response.writeHead(answered.statusCode ?? 502, answered.headers);
      answered.pipe(response);
    });
    forwarded.on('error', (error) => answer(response, 502, { Message: error.message }, 'InternalServerException'));
    forwarded.end(body);
  };
  const handle = async (request: IncomingMessage, body: Buffer, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    requests.push(`${request.method} ${url.pathname}`);
    const validating = url.pathname.match(/^\/applications\/([^/]+)\/configurationprofiles\/([^/]+)\/validators$/);
    if (request.method === 'POST' && validating !== null) {
      const content = await version(validating[1]!, validating[2]!, url.searchParams.get('configuration_version') ?? '');
      if (content === undefined) return answer(response, 404, { Message: 'no such configuration version' }, 'ResourceNotFoundException');
      const refused = await refusal(content);
      return refused === undefined ? answer(response, 204) : answer(response, 400, refused, 'BadRequestException');
    }
    const starting = url.pathname.match(/^\/applications\/([^/]+)\/environments\/([^/]+)\/deployments$/);
    if (request.method === 'POST' && starting !== null) {
      const asked = JSON.parse(body.toString('utf8') || '{}') as Record<string, string>;
      if (starting[2] !== options.environmentId || asked.DeploymentStrategyId !== options.strategyId)
        return answer(response, 404, { Message: 'no such environment or deployment strategy' }, 'ResourceNotFoundException');
      const content = await version(starting[1]!, asked.ConfigurationProfileId ?? '', asked.ConfigurationVersion ?? '');
      if (content === undefined) return answer(response, 404, { Message: 'no such configuration version' }, 'ResourceNotFoundException');
      const refused = await refusal(content);
      if (refused !== undefined) return answer(response, 400, refused, 'BadRequestException');
      const number = deployments.size + 1;
      const deployment = {
        ApplicationId: starting[1],
        EnvironmentId: starting[2],
        DeploymentStrategyId: asked.DeploymentStrategyId,
        ConfigurationProfileId: asked.ConfigurationProfileId,
        ConfigurationVersion: asked.ConfigurationVersion,
        DeploymentNumber: number,
      };
      deployments.set(`${starting[1]}/${starting[2]}/${number}`, { states: [...rollout], body: deployment });
      return answer(response, 201, { ...deployment, State: 'DEPLOYING', PercentageComplete: 0 });
    }
    const getting = url.pathname.match(/^\/applications\/([^/]+)\/environments\/([^/]+)\/deployments\/(\d+)$/);
    if (request.method === 'GET' && getting !== null) {
      const deployment = deployments.get(`${getting[1]}/${getting[2]}/${getting[3]}`);
      if (deployment === undefined) return answer(response, 404, { Message: 'no such deployment' }, 'ResourceNotFoundException');
      const state = deployment.states.length > 1 ? deployment.states.shift()! : deployment.states[0]!;
      return answer(response, 200, { ...deployment.body, State: state, PercentageComplete: state === 'COMPLETE' ? 100 : 50 });
    }
    proxy(request, body, response);
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      handle(request, Buffer.concat(chunks), response).catch((error: Error) => answer(response, 500, { Message: error.message }, 'InternalServerException'));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    rollout(states) {
      rollout = states;
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
