import { optionalInteger, optionalString } from '../fields.ts';
import { alert, en } from './family.ts';

/**
 * `ServiceName` is Tencent's internal service ("openim"), `Command` the API ("batchsendmsg"),
 * `Request` the observed QPS and `Limit` the threshold. The answer's codes have no documented meaning.
 */
export const alertRequestOverLimit = alert.after('Alert.RequestOverLimit', {
  summary: "An API's request rate went over its limit",
  sources: [en(60256)],
  fields: { ServiceName: optionalString, Command: optionalString, Request: optionalInteger, Limit: optionalInteger },
  recordFields: { service: 'ServiceName', api: 'Command', requests: 'Request', limit: 'Limit' },
  example: { CallbackCommand: 'Alert.RequestOverLimit', ServiceName: 'openim', Command: 'batchsendmsg', Request: 510, Limit: 200 },
});
