import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { aboutOf } from '../functions/commands/definition.ts';
import { commandDefinition } from '../functions/commands/registry.ts';
import { answerFor } from '../functions/policy/answer.ts';
import { decisionOutcome } from '../functions/policy/decision.ts';
import { compilePolicy } from '../functions/policy/policy.ts';
import type { Policy } from '../functions/policy/policy-schema.ts';
import { OK_ANSWER } from './callbacks.ts';

/**
 * The warm floor of a before-callback: the checks the chain makes — SDKAppID, Sign and RequestTime,
 * the JSON body, the command, the compiled policy — and the one log line it writes (the record with
 * its EMF metric, as functions/callback/record-line.ts writes it for an allowed before-callback),
 * written by hand: no middy, no valibot parsing, no Powertools. What the chain costs on top of these is
 * the price of its structure. The registry is imported for the policy's definitions (its schemas are
 * built at load, but never run here).
 */
const env = process.env;
const sdkAppIds = new Set((env.IM_SDKAPPIDS ?? '').split(','));
const tokens = (env.IM_CALLBACK_TOKEN ?? '').split(',').filter((token) => token !== '');
const policyText = env.IM_POLICY ?? '{"rules":[]}';
const policy = JSON.parse(policyText.startsWith('@') ? readFileSync(policyText.slice(1), 'utf8') : policyText) as Policy;
const namespace = env.IM_METRICS_NAMESPACE ?? 'TencentImCallbacks';
const decide = compilePolicy(policy);
const headers = { 'content-type': 'application/json; charset=utf-8' };
const answer = (statusCode: number, body: string): APIGatewayProxyStructuredResultV2 => ({ statusCode, headers, body });
const refuse = (statusCode: number, code: number, info: string) =>
  answer(statusCode, JSON.stringify({ ActionStatus: 'FAIL', ErrorCode: code, ErrorInfo: info }));

function signed(query: Record<string, string | undefined>): boolean {
  if (tokens.length === 0) return true;
  const { Sign: sign, RequestTime: time } = query;
  if (!sign || !time || Math.abs(Date.now() / 1000 - Number(time)) > 60 || !/^[0-9a-f]{64}$/i.test(sign)) return false;
  const given = Buffer.from(sign, 'hex');
  return tokens.map((token) => timingSafeEqual(given, createHash('sha256').update(`${token}${time}`).digest())).includes(true);
}

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const receivedAt = Date.now();
  const query = event.queryStringParameters ?? {};
  if (!sdkAppIds.has(query.SdkAppid ?? '')) return refuse(403, 40302, 'unknown SdkAppid');
  if (!signed(query)) return refuse(401, 40103, 'bad Sign');
  const text = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return refuse(400, 40003, 'not JSON');
  }
  const command = query.CallbackCommand ?? '';
  if (body.CallbackCommand !== undefined && body.CallbackCommand !== command) return refuse(400, 40007, 'command mismatch');
  const definition = commandDefinition(command);
  if (definition.kind !== 'before') return answer(200, OK_ANSWER);
  const decision = decide(definition, body);
  const result = answer(200, JSON.stringify(answerFor(definition, body, decision)));
  const { subjects, fields } = aboutOf(definition, body);
  // The record's subjects and its fields: the accounts by role, then the definition's record fields.
  const { groupId, topicId, user, accounts = [] } = subjects;
  const shown: Record<string, string> = {};
  for (const { role, account } of accounts) shown[role] = shown[role] === undefined ? account : `${shown[role]},${account}`;
  const now = Date.now();
  const line = {
    level: 'INFO',
    message: 'callback',
    service: 'tencent-im-callbacks',
    outcome: decisionOutcome(decision),
    // `status` only when not 200, as the receiver's line has it (docs/operations.md#record).
    command,
    kind: 'before',
    ...(groupId === undefined ? {} : { groupId }),
    ...(topicId === undefined ? {} : { topicId }),
    ...(user === undefined ? {} : { user }),
    fields: { ...shown, ...fields },
    durationMs: now - receivedAt,
    clientIp: query.ClientIP,
    optPlatform: query.OptPlatform,
    requestId: event.requestContext.requestId,
    Callbacks: 1,
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [['service', 'command', 'outcome']], Metrics: [{ Name: 'Callbacks', Unit: 'Count' }] }],
    },
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  return result;
}
