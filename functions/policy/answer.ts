import type { Body, CommandDefinition } from '../commands/definition.ts';
import { parsePath, readPath } from '../commands/field-path.ts';
import { comparable } from './comparable.ts';
import type { Decision } from './decision.ts';
import { perItemList } from './rule-checks.ts';

/**
 * A decision in Tencent's words: the whole answer body (docs/protocol.md#answers, and by family
 * docs/protocol.md#group-answers, docs/protocol.md#c2c-answers, docs/protocol.md#sns-answers,
 * docs/protocol.md#official-account). `ErrorCode` 0 allows, a refusal code refuses, 2 drops; a rewrite, refused members and
 * per-item results ride on `ErrorCode` 0. Which fields carry them comes from the definition's answers.
 * A decision past its deadline answers what the command's `onTimeout` says: allow, or refuse (every
 * item, for a per-item command).
 */
export function answerFor(definition: CommandDefinition, body: Body, decision: Decision): Record<string, unknown> {
  const answer = (code: number, info: string, extra: Record<string, unknown> = {}) => ({ ActionStatus: 'OK', ErrorCode: code, ErrorInfo: info, ...extra });
  const perItem = definition.answers?.perItem;
  switch (decision.action) {
    case 'refuse':
      return answer(decision.code, decision.info);
    case 'drop':
      return answer(2, '');
    case 'rewrite':
      return answer(0, '', { [decision.field]: decision.value });
    case 'refuseMembers': {
      const field = definition.answers?.refuseMembers?.answerField;
      return field === undefined ? answer(0, '') : answer(0, '', { [field]: decision.accounts });
    }
    case 'perItem':
      if (perItem === undefined) return answer(0, '');
      return answer(0, '', {
        [perItem.answerField]: decision.items.map((item) => ({ [perItem.account]: item.account, ResultCode: item.code, ResultInfo: item.info })),
      });
    case 'timedOut': {
      const fallback = decision.answer;
      if (fallback === 'allow') return answerFor(definition, body, { action: 'allow' });
      if (perItem === undefined) return answer(fallback.refuse.code, fallback.refuse.info);
      return answer(0, '', {
        [perItem.answerField]: itemAccounts(body, perItem).map((account) => ({
          [perItem.account]: account,
          ResultCode: fallback.refuse.code,
          ResultInfo: fallback.refuse.info,
        })),
      });
    }
    case 'allow': {
      if (perItem === undefined) return answer(0, '');
      // Tencent requires a result for every item, also when all are let through.
      return answer(0, '', {
        [perItem.answerField]: itemAccounts(body, perItem).map((account) => ({ [perItem.account]: account, ResultCode: 0, ResultInfo: '' })),
      });
    }
  }
}

/** Each item's account, in request order. */
function itemAccounts(body: Body, perItem: NonNullable<NonNullable<CommandDefinition['answers']>['perItem']>): string[] {
  const account = parsePath(perItem.account) ?? [];
  return readPath(body, perItemList(perItem.list)).map(
    (item) =>
      readPath(item, account)
        .map(comparable)
        .find((text) => text !== undefined) ?? '',
  );
}
