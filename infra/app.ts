import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { runCli } from '../cli/fail.ts';
import { SettingsError } from '../functions/shared/settings.ts';
import { ensureHandlerBundles } from './build/handler-bundles.ts';
import { CallbackStack } from './callback-stack.ts';
import { readDeploymentSettings } from './strict-context.ts';

// A settings mistake (a wrong value, a mistyped key) is the user's to fix: runCli says which key,
// without a stack trace (unless DEBUG).
await runCli(
  () => {
    // The construct deploys prebuilt bundles (infra/handler-code.ts): built here from the sources
    // when they changed, so what `cdk synth` and `cdk deploy` take is the code in this checkout.
    ensureHandlerBundles();
    const app = new App();
    // Every synth is checked against cdk-nag's AwsSolutions rules; findings stop it (acknowledgements live in infra/).
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    new CallbackStack(app, 'TencentImCallbacks', {
      settings: readDeploymentSettings(app.node),
      description: 'Receiver for Tencent Cloud Chat callbacks: API Gateway -> Lambda -> DynamoDB',
    });
  },
  { expected: (error) => error instanceof SettingsError },
);
