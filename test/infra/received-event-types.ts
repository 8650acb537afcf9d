/**
 * Type-level tests of the event types the package exports, checked by `npm run typecheck` (never run):
 * each assertion fails to compile when a type is wrong, and each `@ts-expect-error` fails to compile
 * when what it marks stops being an error.
 */
import type { Stack } from 'aws-cdk-lib';
import type { AfterCommand, GroupCallbackAfterSendMsg, ReceivedEvent } from '../../infra/index.ts';
import { TencentImReceiver } from '../../infra/index.ts';

/** True exactly when A and B are the same type (not merely assignable either way). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assert = <T extends true>(): T | undefined => undefined;

export function groupMessage(event: ReceivedEvent<'Group.CallbackAfterSendMsg'>) {
  assert<Equal<(typeof event)['detail-type'], 'Group.CallbackAfterSendMsg'>>();
  assert<Equal<(typeof event)['detail']['command'], 'Group.CallbackAfterSendMsg'>>();
  assert<Equal<(typeof event)['source'], 'tencent.im'>>();
  assert<Equal<(typeof event)['detail']['eventId'], string>>();
  assert<Equal<(typeof event)['detail']['receivedAt'], number>>();
  // @ts-expect-error the body may have been left out (bodyOmitted, over EventBridge's 256 KB): check first
  event.detail.body.GroupId;
  if (event.detail.bodyOmitted) {
    assert<Equal<typeof event.detail.body, undefined>>();
    return undefined;
  }
  const { body } = event.detail;
  assert<Equal<typeof body, GroupCallbackAfterSendMsg>>();
  assert<Equal<typeof body.GroupId, string | undefined>>();
  assert<Equal<typeof body.From_Account, string | undefined>>();
  // As Tencent sends it: a number, or its digits.
  assert<Equal<typeof body.MsgSeq, number | string | undefined>>();
  assert<Equal<NonNullable<NonNullable<typeof body.MsgBody>[number]['MsgContent']>['Text'], string | undefined>>();
  // @ts-expect-error a field the command does not declare
  body.GroupID;
  return body.MsgBody?.[0]?.MsgContent?.Text;
}

// @ts-expect-error no such command
export type Misspelt = ReceivedEvent<'Group.CallbackAfterSendMessage'>;
// @ts-expect-error a before-callback is answered, never stored, so never published
export type Before = ReceivedEvent<'Group.CallbackBeforeSendMsg'>;

/** Without a command, any event: detail-type tells them apart. */
export function anyEvent(event: ReceivedEvent) {
  assert<Equal<(typeof event)['detail-type'], AfterCommand>>();
  if (event['detail-type'] === 'Group.CallbackAfterNewMemberJoin' && !event.detail.bodyOmitted) {
    assert<Equal<typeof event.detail.command, 'Group.CallbackAfterNewMemberJoin'>>();
    return event.detail.body.NewMemberList?.map((member) => member.Member_Account);
  }
  return undefined;
}

/** Two commands: a union of the two. */
export function twoCommands(event: ReceivedEvent<'Group.CallbackAfterCreateGroup' | 'Group.CallbackAfterGroupDestroyed'>) {
  assert<Equal<(typeof event)['detail-type'], 'Group.CallbackAfterCreateGroup' | 'Group.CallbackAfterGroupDestroyed'>>();
}

export function subscribe(stack: Stack) {
  const im = new TencentImReceiver(stack, 'Im', { sdkAppIds: ['1400000000'] });
  im.onEvent('Messages', { commands: ['Group.CallbackAfterSendMsg', 'C2C.CallbackAfterSendMsg'] });
  // @ts-expect-error onEvent takes after-commands only
  im.onEvent('Before', { commands: ['Group.CallbackBeforeSendMsg'] });
  // @ts-expect-error a prop that is not one
  new TencentImReceiver(stack, 'Other', { sdkAppIds: ['1400000000'], sdkAppId: '1400000000' });
}
