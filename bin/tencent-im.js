#!/usr/bin/env node
/**
 * `tencent-im` (package.json "bin"; `npx tencent-im …`, and every npm script of the project). Plain
 * JavaScript, so any Node runs it, the machine's Node 20 included, which cannot run TypeScript: on
 * Node 24 or later it runs the TypeScript entry (cli/tencent-im.ts) in this process; on an older one
 * it runs itself again on the Node 24 that `npm install` puts into node_modules (the `node` package).
 * Either way a project that was never installed gets one line, "run npm install first", not a stack
 * trace. Kept to what Node 14.8 already had (ES modules, top-level await), so an old Node reaches that line too.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'cli', 'tencent-im.ts');
/** Where the `node` package (a devDependency) keeps its binary. */
const projectNode = join(root, 'node_modules', 'node', 'bin', 'node');
const REQUIRED_MAJOR = 24;
const major = Number(process.versions.node.split('.')[0]);

function fail(message) {
  console.error(message);
  process.exit(1);
}

async function runHere() {
  try {
    const { dispatch } = await import(pathToFileURL(entry).href);
    await dispatch(process.argv.slice(2));
  } catch (error) {
    // A dependency missing: the project was never installed (or only in part).
    if (error && error.code === 'ERR_MODULE_NOT_FOUND' && !process.env.DEBUG) {
      const missing = /Cannot find (?:package|module) '([^']+)'/.exec(String(error.message));
      fail(`tencent-im: run npm install first (in ${root}): ${missing ? `${missing[1]} is` : 'a dependency is'} not installed.`);
    }
    throw error;
  }
}

function runOnProjectNode() {
  if (!existsSync(projectNode)) {
    fail(
      `tencent-im: run npm install first (in ${root}): it installs the Node ${REQUIRED_MAJOR} this project runs on (this is Node ${process.versions.node}).`,
    );
  }
  const child = spawn(projectNode, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  // Ctrl-C reaches both processes (one process group); a signal sent to this one alone is passed on.
  // The child decides what it means (npm start finishes the requests under way first).
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => fail(`tencent-im: could not run ${projectNode}: ${error.message}`));
  child.on('exit', (code, signal) => {
    if (signal) {
      for (const name of signals) process.removeAllListeners(name);
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code === null ? 1 : code);
  });
}

// The package installed into an app (npm install tencent-im-callbacks) carries the construct and its
// prebuilt handlers, not the command-line tools' sources: say so, whatever the Node.
if (!existsSync(entry)) {
  fail(
    'tencent-im: the command-line tools run from a clone of the tencent-im-callbacks repository (npm install there, then npx tencent-im); this installed package holds the construct and its handlers only (docs/construct.md#construct-command-line).',
  );
}
if (major >= REQUIRED_MAJOR) await runHere();
else runOnProjectNode();
