import type { CallbackResult } from './callback-event.ts';

/** Tencent's response body (protocol.md §4). */
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

export function httpAnswer(statusCode: number, answer: TencentAnswer, headers: Record<string, string> = {}): CallbackResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(answer),
  };
}
