/**
 * One fresh process of the policy bench (policy-decision.ts): validates and compiles a policy with a
 * 10,000-word list, as a cold start does, then times decisions on a 2 KB message against one fold
 * pass over the same text, interleaved so both see the same machine. Sends the timings on the
 * protocol pipe.
 */

import * as v from 'valibot';
import { commandDefinition } from '../functions/commands/registry.ts';
import { compilePolicy } from '../functions/policy/policy.ts';
import { PolicySchema } from '../functions/policy/policy-schema.ts';
import { foldText } from '../functions/policy/text-fold.ts';
import { policyBenchBody, policyBenchMaskRules, policyBenchPolicy } from './policy-decision-input.ts';
import { sendToParent } from './protocol.ts';

const iterations = Number(process.argv[2] ?? 0);
const warmup = Number(process.argv[3] ?? 0);

const raw = policyBenchPolicy();
let start = performance.now();
const policy = v.parse(PolicySchema, raw);
const parseMs = performance.now() - start;
start = performance.now();
const cpu = process.cpuUsage();
// No deadline: on a busy machine a decision could pass the receiver's, and be answered by onTimeout
// instead of timed; the bench times the decision itself.
const unbounded = { deadlineMs: Number.MAX_SAFE_INTEGER };
const decide = compilePolicy(policy, unbounded);
const { user, system } = process.cpuUsage(cpu);
const compileMs = performance.now() - start;
// CPU time, beside wall time: it leaves out time the machine gave others, but counts V8's own
// background threads (GC, compilers), so it is no lower bound either.
const compileCpuMs = (user + system) / 1000;

const definition = commandDefinition(policyBenchBody.CallbackCommand);
const message = policyBenchBody.MsgBody[0]!.MsgContent.Text;
const t0 = performance.now();
const first = decide(definition, policyBenchBody);
const firstDecisionMs = performance.now() - t0;
if (first.action !== 'allow') throw new Error(`the bench message should be allowed, got ${first.action}`);
let sink = 0;
const decisionUs: number[] = [];
const foldUs: number[] = [];
for (let i = 0; i < warmup + iterations; i++) {
  let t = performance.now();
  const decision = decide(definition, policyBenchBody);
  const decided = performance.now() - t;
  t = performance.now();
  sink += foldText(message).length;
  const folded = performance.now() - t;
  if (decision.action !== 'allow') throw new Error(`the bench message should be allowed, got ${decision.action}`);
  if (i >= warmup) {
    decisionUs.push(decided * 1000);
    foldUs.push(folded * 1000);
  }
}
// The same words as 1,000 mask rules: decided warm, beside the same fold pass.
const maskRules = compilePolicy(v.parse(PolicySchema, policyBenchMaskRules()), unbounded);
const maskRulesUs: number[] = [];
const maskRulesFoldUs: number[] = [];
for (let i = 0; i < warmup + iterations; i++) {
  let t = performance.now();
  const decision = maskRules(definition, policyBenchBody);
  const decided = performance.now() - t;
  t = performance.now();
  sink += foldText(message).length;
  const folded = performance.now() - t;
  if (decision.action !== 'allow') throw new Error(`the bench message should be allowed by the mask rules, got ${decision.action}`);
  if (i >= warmup) {
    maskRulesUs.push(decided * 1000);
    maskRulesFoldUs.push(folded * 1000);
  }
}
sendToParent({ parseMs, compileMs, compileCpuMs, firstDecisionMs, decisionUs, foldUs, maskRulesUs, maskRulesFoldUs, sink });
