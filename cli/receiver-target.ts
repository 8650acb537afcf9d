/**
 * Where `npx tencent-im trigger` and `replay` send: the npm start running on DATA_DIR (found through
 * local/running-receiver.ts), or any receiver given by `--url` (a deployed stack's CallbackUrl, a
 * tunnel in front of local mode). What they send goes the way Tencent's callbacks go: a POST with
 * Tencent's query, signed with the first IM_CALLBACK_TOKEN when one is set, no Content-Type.
 */
import { callbackErrors } from '../functions/callback/callback-error.ts';
import { callbackUrl } from '../local/callback-url.ts';
import { localSettingsFromEnvironment } from '../local/local-settings.ts';
import { runningReceiver } from '../local/running-receiver.ts';
import { UsageError } from './fail.ts';

export interface ReceiverTarget {
  readonly callbackUrl: string;
  /** The SDKAppIDs it accepts, when known (a running npm start says). */
  readonly sdkAppIds?: readonly string[];
  /** Whether it checks Sign, when known. */
  readonly signed?: boolean;
}

/** `--url`, else the npm start on DATA_DIR; neither is a line saying what to do. */
export function receiverTarget(url: string | undefined, env: NodeJS.ProcessEnv): ReceiverTarget {
  if (url !== undefined) return { callbackUrl: url.replace(/[?#].*$/, '') };
  const dataDir = localSettingsFromEnvironment(env).DATA_DIR;
  const running = runningReceiver(dataDir);
  if (running === undefined) {
    throw new UsageError(
      `No npm start is running on DATA_DIR=${dataDir}: start it (npm start) in another terminal, or give --url (a deployed CallbackUrl, or a tunnel's).`,
    );
  }
  return running;
}

/** The callback tokens of this shell (IM_CALLBACK_TOKEN), checked as npm start checks them. */
export const shellTokens = (env: NodeJS.ProcessEnv): readonly string[] => localSettingsFromEnvironment(env).IM_CALLBACK_TOKEN;

/** A target that checks Sign needs a token here: said before anything is sent. */
export function checkCanSign(target: ReceiverTarget, tokens: readonly string[]): void {
  if (target.signed && tokens.length === 0) {
    throw new UsageError(
      `The npm start at ${target.callbackUrl} checks Sign: export IM_CALLBACK_TOKEN here too (the token it was started with), then run this again.`,
    );
  }
}

export interface SentCallback {
  readonly url: string;
  readonly status: number;
  /** The answer's body, as it came. */
  readonly answer: string;
}

export interface CallbackRequest {
  readonly sdkAppId: string;
  readonly command: string;
  readonly clientIp?: string;
  readonly optPlatform?: string;
  readonly body: string;
}

/** POSTs it as Tencent would, signed for this second with the first token when there is one. */
export async function sendCallback(target: ReceiverTarget, request: CallbackRequest, tokens: readonly string[], now = Date.now()): Promise<SentCallback> {
  const [token] = tokens;
  const url = callbackUrl(target.callbackUrl, {
    sdkAppId: request.sdkAppId,
    command: request.command,
    clientIp: request.clientIp,
    optPlatform: request.optPlatform,
    ...(token === undefined ? {} : { signed: { token, requestTime: Math.floor(now / 1000) } }),
  });
  let response: Response;
  try {
    // Bytes, not a string: fetch would add a text/plain Content-Type, and Tencent sends none.
    response = await fetch(url, { method: 'POST', body: Buffer.from(request.body) });
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause;
    throw new UsageError(`Could not reach ${target.callbackUrl}: ${cause?.message ?? (error as Error).message}`);
  }
  return { url: target.callbackUrl, status: response.status, answer: await response.text() };
}

/** What to do about a refusal the sender can fix from here, by the answer's ErrorCode. */
function hint(answer: string): string | undefined {
  let code: unknown;
  try {
    code = (JSON.parse(answer) as { ErrorCode?: unknown }).ErrorCode;
  } catch {
    return undefined;
  }
  if (code === callbackErrors['missing-sign'].errorCode) return 'The receiver checks Sign: export IM_CALLBACK_TOKEN here (its token), then run this again.';
  if (code === callbackErrors['invalid-sign'].errorCode) return 'IM_CALLBACK_TOKEN here is not the token the receiver checks.';
  return undefined;
}

/** The answer on stdout (data, for jq), what became of it on stderr; a refusal sets exit code 1. */
export function reportSent(sent: SentCallback, what: string): void {
  process.stdout.write(`${sent.answer}\n`);
  console.error(`${what} → ${sent.url}: HTTP ${sent.status}`);
  const advice = sent.status === 200 ? undefined : hint(sent.answer);
  if (advice !== undefined) console.error(advice);
  if (sent.status !== 200) process.exitCode = 1;
}
