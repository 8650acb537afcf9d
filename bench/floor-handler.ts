import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { OK_ANSWER } from './callbacks.ts';

/**
 * The floor: the least any callback handler must do. It decodes the body as API Gateway sends it,
 * parses the JSON and answers OK, nothing else. Bundled with the deployed function's esbuild options
 * and with imports of the same Node built-ins (bundle.ts adds them), so the real handler's ratio to it
 * is the cost of what the real one does beyond answering.
 */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const text = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  JSON.parse(text);
  return { statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: OK_ANSWER };
}
