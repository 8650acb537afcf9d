import type { Body, CommandDefinition } from '../commands/definition.ts';
import { parsePath, readPath } from '../commands/field-path.ts';
import type { Decision } from './decision.ts';
import { comparable } from './matchers.ts';
import { perItemList } from './rule-checks.ts';

/**
 * A decision in Tencent's words: the whole answer body (protocol.md §4, protocol-families.md §1a,
 * §4a, §6). `ErrorCode` 0 allows, a refusal code refuses, 2 drops; a rewrite, refused members and
 * per-item results ride on `ErrorCode` 0. Which fields carry them comes from the definition's answers.
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
    case 'allow': {
      if (perItem === undefined) return answer(0, '');
      // Tencent requires a result for every item, also when all are let through.
      const account = parsePath(perItem.account) ?? [];
      const items = readPath(body, perItemList(perItem.list));
      return answer(0, '', {
        [perItem.answerField]: items.map((item) => ({ [perItem.account]: readPath(item, account).map(comparable).find((text) => text !== undefined) ?? '', ResultCode: 0, ResultInfo: '' })),
      });
    }
  }
}
