/**
 * The AppConfig configuration profile that holds a receiver's policy (infra/policy-config.ts), named
 * once for the stack and for `npm run policy -- --deploy` (cli/policy-deploy.ts), which finds it by
 * name: a module of its own, so the command does not load aws-cdk-lib to read one string.
 */
export const POLICY_PROFILE_NAME = 'policy';
