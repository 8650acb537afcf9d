import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SettingsError } from '../functions/settings.ts';
import { CallbackStack } from '../lib/callback-stack.ts';
import { deploymentSettingsFromContext, type DeploymentSettings } from '../lib/deployment-settings.ts';

const app = new App();
// Every synth is checked against cdk-nag's AwsSolutions rules; findings stop it (acknowledgements live in lib/).
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

/** A settings mistake is the user's to fix: say which key, without a stack trace. */
function readSettings(): DeploymentSettings {
  try {
    return deploymentSettingsFromContext((name) => app.node.tryGetContext(name));
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

new CallbackStack(app, 'TencentImCallbacks', {
  settings: readSettings(),
  description: 'Receiver for Tencent Cloud Chat callbacks: API Gateway -> Lambda -> DynamoDB',
});
