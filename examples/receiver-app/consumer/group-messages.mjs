// @ts-check
/**
 * The team's function: each group message the receiver stored, as EventBridge delivers it. Plain
 * JavaScript, so it deploys as it is; typed by the package's ReceivedEvent all the same (checkJs).
 *
 * @param {import('tencent-im-callbacks').ReceivedEvent<'Group.CallbackAfterSendMsg'>} event
 * @returns {Promise<{ group: string | undefined, texts: string[] } | undefined>}
 */
export async function handler(event) {
  // Over EventBridge's 256 KB the body is left out: read it from the events table by eventId.
  if (event.detail.bodyOmitted) {
    console.log(JSON.stringify({ message: 'group message too large for the bus', eventId: event.detail.eventId }));
    return undefined;
  }
  const { GroupId, MsgBody = [] } = event.detail.body;
  const texts = MsgBody.flatMap((element) => (element.MsgType === 'TIMTextElem' && element.MsgContent?.Text !== undefined ? [element.MsgContent.Text] : []));
  console.log(JSON.stringify({ message: 'group message', group: GroupId, from: event.detail.body.From_Account, texts }));
  return { group: GroupId, texts };
}
