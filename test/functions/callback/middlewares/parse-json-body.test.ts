import { describe, expect, test } from '@jest/globals';
import normalizeEvent from '../../../../functions/callback/middlewares/normalize-event.ts';
import parseJsonBody from '../../../../functions/callback/middlewares/parse-json-body.ts';
import { apiGatewayEvent, type EventShape, middyRequest } from '../../../support/api-gateway-event.ts';

async function parse(shape: EventShape) {
  const request = middyRequest(apiGatewayEvent(shape));
  normalizeEvent().before!(request);
  await parseJsonBody().before!(request);
  return request.event;
}

const rejection = (reason: string) => expect.objectContaining({ reason });

describe('parseJsonBody', () => {
  test('parses a JSON object without any Content-Type and keeps the exact text', async () => {
    const body = '{ "CallbackCommand" : "Group.X",\n "EventTime": "1670574414123" }';
    const event = await parse({ body });
    expect(event.body).toEqual({ CallbackCommand: 'Group.X', EventTime: '1670574414123' });
    expect(event.callback.rawBody).toBe(body);
  });

  test("reads an integer beyond 2^53 as its exact digits, as Tencent's tables type such an account id, and every other value as JSON.parse does", async () => {
    const body =
      '{"RoomInfo":{"Owner_Account":144115216631667826},"SeatList":[{"Index":1,"Member_Account":-144115233775727695}],"Big":1e300,"Id":"1234567890123456789","n":7}';
    const event = await parse({ body });
    expect(event.body).toEqual({
      RoomInfo: { Owner_Account: '144115216631667826' },
      SeatList: [{ Index: 1, Member_Account: '-144115233775727695' }],
      Big: 1e300,
      Id: '1234567890123456789',
      n: 7,
    });
    expect(JSON.parse(body).RoomInfo.Owner_Account).toBe(144115216631667840);
    expect(event.callback.rawBody).toBe(body);
  });

  test('decodes a base64 body from API Gateway, UTF-8 included', async () => {
    const body = '{"CallbackCommand":"Group.X","Name":"话题"}';
    const event = await parse({ body, base64: true });
    expect(event.body).toEqual({ CallbackCommand: 'Group.X', Name: '话题' });
    expect(event.callback.rawBody).toBe(body);
    expect(event.isBase64Encoded).toBe(false);
  });

  test.each([
    ['no body', undefined, 'empty-body'],
    ['an empty body', '', 'empty-body'],
    ['whitespace', ' \n\t ', 'empty-body'],
    ['truncated JSON', '{"CallbackCommand":', 'invalid-json'],
    ['two objects', '{}{}', 'invalid-json'],
    ['an array', '[{"CallbackCommand":"Group.X"}]', 'body-not-object'],
    ['a number', '42', 'body-not-object'],
    ['null', 'null', 'body-not-object'],
    ['a __proto__ key, however deep', '{"a":{"b":{"__proto__":{}}}}', 'forbidden-json-key'],
    ['a constructor.prototype key', '{"constructor":{"prototype":{}}}', 'forbidden-json-key'],
  ])('refuses %s', async (_case, body, reason) => {
    await expect(parse({ body })).rejects.toEqual(rejection(reason));
  });

  test("passes on the parser's word for what broke", async () => {
    await expect(parse({ body: '{"a":}' })).rejects.toThrow(/^the body is not valid JSON: Unexpected token '}'/);
    await expect(parse({ body: '{"a":1' })).rejects.toThrow(/^the body is not valid JSON: .*position 6/);
  });

  test("says so of valid JSON nested deeper than the parser's reviver can walk", async () => {
    const deep = `{"a":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    expect(() => JSON.parse(deep)).not.toThrow();
    await expect(parse({ body: deep })).rejects.toEqual(rejection('invalid-json'));
    await expect(parse({ body: deep })).rejects.toThrow('the body is not valid JSON: it nests too deeply to read');
  });

  test('refuses base64 that is not UTF-8 rather than storing mangled text', async () => {
    const event = apiGatewayEvent({});
    event.body = Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]).toString('base64');
    event.isBase64Encoded = true;
    const request = middyRequest(event);
    normalizeEvent().before!(request);
    await expect(parseJsonBody().before!(request)).rejects.toEqual(rejection('invalid-utf8'));
  });
});
