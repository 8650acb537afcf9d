import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The cold-start floor of a handler that stores events: the DynamoDB document client, made at
 * start-up as the receiver makes its own, and the floor's answer (decode, JSON.parse, OK). Nothing
 * else: what the receiver loads beyond it — middy, valibot, the registry, the policy, the record — is
 * what its ratio to this one measures (issue 19's 1.46×). Bundled by the handlers' build, like the
 * receiver, so both load the SDK the same way.
 */
export const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export { handler } from './floor-handler.ts';
