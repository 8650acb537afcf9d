import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { callbackErrors, INTERNAL_ERROR } from '../../functions/callback/callback-error.ts';
import { awsCliScan } from '../../local/embedded-store.ts';
import { projectRoot } from '../support/processes.ts';

/** What the docs promise and the code decides must agree: checked, so neither drifts alone. */
const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
const operations = readFileSync(join(projectRoot, 'docs/operations.md'), 'utf8');

describe('docs/operations.md', () => {
  test('the error table lists every code of the catalog, with its HTTP status', () => {
    const rows = new Map([...operations.matchAll(/^\| (\d{3}) \| (\d{5}) \|/gm)].map(([, status, code]) => [Number(code), Number(status)]));
    const catalog = new Map([...Object.values(callbackErrors), INTERNAL_ERROR].map(({ errorCode, statusCode }) => [errorCode, statusCode]));
    expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(catalog));
  });
});

describe('README', () => {
  test("the AWS CLI line is npm start's, with dummy credentials and a region", () => {
    expect(readme).toContain(awsCliScan('http://127.0.0.1:4567'));
    expect(awsCliScan('http://x')).toMatch(/^AWS_ACCESS_KEY_ID=\S+ AWS_SECRET_ACCESS_KEY=\S+ aws .* --region \S+ /);
  });

  test('the install warnings are explained', () => {
    expect(readme).toMatch(/EBADENGINE/);
    expect(readme).toMatch(/Unknown user config\s+"nodedir"/);
  });
});
