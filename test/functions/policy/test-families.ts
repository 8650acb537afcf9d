import * as v from 'valibot';
import { type Body, type CommandDefinition, defineFamily } from '../../../functions/commands/definition.ts';
import { codes, msgBody, optionalAccount, optionalInteger, optionalString, rewriteMessageText } from '../../../functions/commands/fields.ts';
import { answerFor } from '../../../functions/policy/answer.ts';
import { actingOf } from '../../../functions/policy/decision.ts';
import { type CompiledPolicy, compilePolicy } from '../../../functions/policy/policy.ts';
import { type Policy, policyCommands, policySchemaFor } from '../../../functions/policy/policy-schema.ts';
import { testPolicyOptions } from '../../support/test-settings.ts';

/**
 * Families of the tests' own, one per kind of answer the engine must give, so the policy is tested
 * on what definitions declare rather than on which families exist yet: `Chat` refuses with
 * 120001–130000, drops and rewrites (a one-to-one message), `Club` refuses some members, `Pals`
 * answers per item with 38000–39000 (a friend request).
 */
const chat = defineFamily({
  family: 'Chat',
  fields: { CallbackCommand: optionalString, From_Account: optionalAccount, EventTime: optionalInteger },
  answers: { refusalCodes: codes([1, 1], [120001, 130000]), refusedClientError: 20006 },
});
export const chatSend = chat.before('Chat.CallbackBeforeSendMsg', {
  summary: 'test: a one-to-one message',
  sources: [],
  fields: { To_Account: optionalAccount, MsgBody: v.optional(msgBody), CloudCustomData: optionalString },
  answers: { drop: true, rewrite: rewriteMessageText },
  example: {
    CallbackCommand: 'Chat.CallbackBeforeSendMsg',
    From_Account: 'jared',
    To_Account: 'leckie',
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }],
  },
});
export const chatCreate = chat.before('Chat.CallbackBeforeCreateRoom', {
  summary: 'test: refuse only',
  sources: [],
  fields: {
    Name: optionalString,
    Tags: v.optional(v.array(v.string())),
    Owner: v.optional(v.nullable(v.looseObject({ Account: optionalAccount, Level: v.union([v.number(), v.string()]) }))),
  },
  example: { CallbackCommand: 'Chat.CallbackBeforeCreateRoom', Name: 'room' },
});

const club = defineFamily({
  family: 'Club',
  fields: { CallbackCommand: optionalString, Operator_Account: optionalAccount },
  answers: { refusalCodes: codes([1, 1], [10100, 10200]) },
});
export const clubInvite = club.before('Club.CallbackBeforeAddSubscribers', {
  summary: 'test: refuses some members',
  sources: [],
  fields: { Members: v.optional(v.array(v.looseObject({ Member_Account: optionalAccount, Role: optionalString }))) },
  answers: { refuseMembers: { accounts: 'Members[].Member_Account', answerField: 'RefusedSubscribers_Account' } },
  example: { CallbackCommand: 'Club.CallbackBeforeAddSubscribers', Operator_Account: 'leckie', Members: [{ Member_Account: 'a' }, { Member_Account: 'b' }] },
});

const pals = defineFamily({
  family: 'Pals',
  fields: { CallbackCommand: optionalString, From_Account: optionalAccount, Requester_Account: optionalAccount },
  answers: { refusalCodes: codes([38000, 39000]) },
});
export const palsAdd = pals.before('Pals.CallbackPrevFriendAdd', {
  summary: 'test: a result per friend',
  sources: [],
  fields: {
    FriendItem: v.optional(v.array(v.looseObject({ To_Account: optionalAccount, Remark: optionalString, AddWording: optionalString }))),
    AddType: optionalString,
  },
  answers: { perItem: { list: 'FriendItem', account: 'To_Account', answerField: 'ResultItem' } },
  example: { CallbackCommand: 'Pals.CallbackPrevFriendAdd', From_Account: 'jared', FriendItem: [{ To_Account: 'a' }, { To_Account: 'b' }] },
});

export const testDefinitions: readonly CommandDefinition[] = [...policyCommands, chatSend, chatCreate, clubInvite, palsAdd];
export const TestPolicySchema = policySchemaFor(testDefinitions);

/**
 * A compiled policy whose decisions are their answers alone (actingOf): what most tests compare. The
 * notes (matched rules, shadow hits, evaluations) have tests of their own (shadow-rules.test.ts).
 */
export const actingPolicy = (compiled: CompiledPolicy) =>
  Object.assign((definition: CommandDefinition, body: Body) => actingOf(compiled(definition, body)), { words: compiled.words });

/** Parses the rules with the tests' schema and compiles them. */
export const compileRules = (...rules: unknown[]) => actingPolicy(compilePolicy(v.parse(TestPolicySchema, { rules }) as Policy, testPolicyOptions));

/** Decides and answers, as the chain will. */
export const answerWith = (...rules: unknown[]) => {
  const decide = compileRules(...rules);
  return (definition: CommandDefinition, body: Body) => answerFor(definition, body, decide(definition, body));
};

/** Every message of a failed parse. */
export const problemsOf = (policy: unknown): string => {
  const result = v.safeParse(TestPolicySchema, policy);
  if (result.success) throw new Error('the policy was accepted');
  return result.issues.map((issue) => `${v.getDotPath(issue) ?? ''}: ${issue.message}`).join('\n');
};

/** A text element and a custom one, as TIM message bodies carry them. */
export const text = (Text: string) => ({ MsgType: 'TIMTextElem', MsgContent: { Text } });
export const custom = (Data: string) => ({ MsgType: 'TIMCustomElem', MsgContent: { Data, Desc: 'd', Ext: 'e' } });
