/**
 * A rule as a CloudWatch dimension (`ruleId` of PolicyRuleHits, PolicyShadowHits, PolicyRuleEvaluations:
 * functions/callback/metric-names.ts): its id for the policy's first rules, `other` past them. Ids
 * come from the operator's policy, never from a sender, but a policy of thousands of rules must not
 * mint thousands of metrics (each is billed): the first 100 are counted by name.
 */
export const maxRuleDimensions = 100;
export const otherRules = 'other';

export const ruleDimension = (id: string, index: number): string => (index < maxRuleDimensions ? id : otherRules);
