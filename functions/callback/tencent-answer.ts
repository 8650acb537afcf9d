import type { CallbackError } from './callback-error.ts';
import type { CallbackResult } from './callback-event.ts';

/** Tencent's response body (docs/protocol.md#answers). */
export interface TencentAnswer {
  readonly ActionStatus: 'OK' | 'FAIL';
  readonly ErrorCode: number;
  readonly ErrorInfo: string;
}

export const ok = (errorCode = 0, errorInfo = ''): TencentAnswer => ({
  ActionStatus: 'OK',
  ErrorCode: errorCode,
  ErrorInfo: errorInfo,
});

export const fail = (errorCode: number, errorInfo: string): TencentAnswer => ({
  ActionStatus: 'FAIL',
  ErrorCode: errorCode,
  ErrorInfo: errorInfo,
});

export function httpAnswer(
  statusCode: number,
  answer: TencentAnswer | Readonly<Record<string, unknown>>,
  headers: Record<string, string> = {},
): CallbackResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(answer),
  };
}

/** A refused request's answer: its status, and a FAIL that says what was wrong. */
export const errorAnswer = (error: CallbackError): CallbackResult => httpAnswer(error.statusCode, fail(error.errorCode, error.message), error.headers);
