/**
 * A local stand-in for Secrets Manager's API, as much as the receiver uses: GetSecretValue, in AWS
 * JSON 1.1 over HTTP. The deployed bundle reaches it through AWS_ENDPOINT_URL_SECRETS_MANAGER, so the
 * token's whole path (Powertools Parameters, the SDK client, the request and its answer) runs here
 * as it does in AWS.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';

export interface SecretsManagerStandIn {
  readonly endpoint: string;
  /** The secrets it holds, by name or ARN; change them to rotate. */
  readonly secrets: Map<string, string>;
  /** The SecretIds asked for, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

const json = (status: number, body: unknown) => ({ status, body: JSON.stringify(body) });

export async function startSecretsManagerStandIn(secrets: Record<string, string> = {}): Promise<SecretsManagerStandIn> {
  const held = new Map(Object.entries(secrets));
  const requests: string[] = [];
  const server = createServer(async (request, response) => {
    const target = String(request.headers['x-amz-target'] ?? '');
    const input = JSON.parse((await text(request)) || '{}') as { SecretId?: string };
    const answer = (() => {
      if (target !== 'secretsmanager.GetSecretValue') return json(400, { __type: 'UnknownOperationException', message: `${target} is not served here` });
      const secretId = String(input.SecretId);
      requests.push(secretId);
      const value = held.get(secretId);
      if (value === undefined) return json(400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
      const arn = secretId.startsWith('arn:') ? secretId : `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${secretId}-AbCdEf`;
      return json(200, { ARN: arn, Name: secretId, SecretString: value, VersionId: 'v1', VersionStages: ['AWSCURRENT'], CreatedDate: 1_700_000_000 });
    })();
    response.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `stand-in-${requests.length}` });
    response.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    secrets: held,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
