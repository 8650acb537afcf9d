import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

/** A complete secret ARN ends in the six random characters Secrets Manager adds to the name. */
const completeArn = /^arn:[^:]+:secretsmanager:[^:]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$/;

/**
 * The secret holding the callback token that the receiver makes (`callbackToken: 'create'`, the
 * default): a generated token to paste into the Chat console, retained with the stack.
 */
export function createCallbackTokenSecret(scope: Construct): secretsmanager.Secret {
  const secret = new secretsmanager.Secret(scope, 'CallbackToken', {
    description: 'Tencent Cloud Chat callback token: paste it into the console; comma-separate two while rotating',
    // Letters and digits only: the value is also a comma-separated list, and it travels in no URL.
    generateSecretString: { passwordLength: 32, excludePunctuation: true, includeSpace: false },
    // Retained, like the tables: the same token is typed into the Chat console, so it outlives the
    // stack (or a replacement), and a new deployment can take it back with tokenSecret=<its ARN>
    // instead of making a new token that Tencent's signed callbacks would not match (401).
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'The token must equal the one typed into the Chat console, which no rotation Lambda can change: ' +
      'rotating it is a manual two-token procedure (old,new in the secret, then the console, then drop the old one; README "Rotating it").',
  });
  return secret;
}

/** An existing secret, by the name or ARN the `tokenSecret` setting gives. */
export function secretByReference(scope: Construct, id: string, reference: string): secretsmanager.ISecret {
  if (reference.startsWith('arn:')) {
    return completeArn.test(reference)
      ? secretsmanager.Secret.fromSecretCompleteArn(scope, id, reference)
      : secretsmanager.Secret.fromSecretPartialArn(scope, id, reference);
  }
  return secretsmanager.Secret.fromSecretNameV2(scope, id, reference);
}
