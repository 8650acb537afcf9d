/**
 * How a group in the synced view differs from Tencent's truth, and the changes that repair it
 * (docs/production.md#reconcile). Pure: the reads are reconcile-run.ts's.
 *
 * Only what Tencent said is compared: a profile field Tencent did not send is not a difference, and
 * members are compared only when their whole list was read (`members` given). So nothing is removed
 * from the view that could not be read.
 */
import type { DriftKind } from '../callback/metric-names.ts';
import { type GroupProfile, memberFields, profileFields, type StateChange } from '../commands/projection.ts';
import type { GroupView } from '../synced-view/view.ts';

export interface TruthMember {
  readonly account: string;
  readonly role: string;
  /** Absent: the member has none. */
  readonly nameCard?: string;
}

/** What Tencent says of a group: it exists (with its profile, and its members when all were read), or it is gone. */
export type GroupTruth =
  | {
      readonly exists: true;
      readonly profile: GroupProfile;
      /** Every member, when the listing was read to its end; undefined when it was not (or cannot be: AVChatRoom). */
      readonly members?: readonly TruthMember[];
    }
  | { readonly exists: false };

export type ShownValue = string | boolean | undefined;

export interface FieldDrift {
  /** A profile field (`name`), or a member's (`member bob: role`). */
  readonly field: string;
  readonly view: ShownValue;
  readonly tencent: ShownValue;
}

export interface GroupDrift {
  readonly groupId: string;
  readonly fields: readonly FieldDrift[];
  /** Members Tencent has and the view lacks. */
  readonly missingMembers: readonly TruthMember[];
  /** Members the view shows and Tencent does not have. */
  readonly extraMembers: readonly string[];
  /** Tencent says the group is gone (dissolved) while the view shows it. */
  readonly gone: boolean;
}

const compared = profileFields.filter((field) => field !== 'destroyed');

export function groupDrift(groupId: string, view: GroupView | undefined, truth: GroupTruth): GroupDrift {
  const none = { groupId, fields: [], missingMembers: [], extraMembers: [], gone: false };
  if (!truth.exists) return view === undefined || view.destroyed === true ? none : { ...none, gone: true };
  const fields: FieldDrift[] = [];
  for (const field of compared) {
    const tencent = truth.profile[field];
    if (tencent !== undefined && view?.[field] !== tencent) fields.push({ field, view: view?.[field], tencent });
  }
  if (view?.destroyed === true) fields.push({ field: 'destroyed', view: true, tencent: false });
  if (truth.members === undefined) return { ...none, fields };
  const shown = new Map((view?.members ?? []).map((member) => [member.account, member]));
  const missingMembers: TruthMember[] = [];
  for (const member of truth.members) {
    const mine = shown.get(member.account);
    if (mine === undefined) {
      missingMembers.push(member);
      continue;
    }
    for (const field of memberFields) {
      if (mine[field] !== member[field]) fields.push({ field: `member ${member.account}: ${field}`, view: mine[field], tencent: member[field] });
    }
  }
  const inTencent = new Set(truth.members.map((member) => member.account));
  const extraMembers = [...shown.keys()].filter((account) => !inTencent.has(account));
  return { groupId, fields, missingMembers, extraMembers, gone: false };
}

/** What the drift counts as, by kind (metric-names.ts, driftKinds). */
export const driftCounts = (drift: GroupDrift): Record<DriftKind, number> => ({
  fields: drift.fields.length,
  missingMembers: drift.missingMembers.length,
  extraMembers: drift.extraMembers.length,
  goneGroups: drift.gone ? 1 : 0,
});

export const hasDrift = (drift: GroupDrift): boolean => Object.values(driftCounts(drift)).some((count) => count > 0);

const memberOf = (drift: FieldDrift) => /^member (.*): (\w+)$/.exec(drift.field);

/**
 * The changes that make the view say what Tencent said: the projection's own kinds of change
 * (functions/commands/projection.ts), so they merge as an event's would.
 */
export function repairsOf(drift: GroupDrift, truth: GroupTruth): StateChange[] {
  if (drift.gone) return [{ on: 'group', set: { destroyed: true } }];
  if (!truth.exists) return [];
  const changes: StateChange[] = [];
  const profile: Record<string, string | boolean> = {};
  for (const field of drift.fields) {
    if (memberOf(field) === null) profile[field.field] = field.tencent as string | boolean;
  }
  if (Object.keys(profile).length > 0) changes.push({ on: 'group', set: profile as GroupProfile });
  const byAccount = new Map((truth.members ?? []).map((member) => [member.account, member]));
  const changedMembers = new Set(drift.fields.flatMap((field) => memberOf(field)?.[1] ?? []));
  for (const member of [...drift.missingMembers, ...[...changedMembers].map((account) => byAccount.get(account)!)]) {
    changes.push({ on: 'member', account: member.account, set: { role: member.role, nameCard: member.nameCard ?? null } });
  }
  for (const account of drift.extraMembers) changes.push({ on: 'member', account, removed: true });
  return changes;
}
