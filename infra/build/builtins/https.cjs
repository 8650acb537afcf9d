// node:https as `require` gives it, for the handler bundles (handler-bundles.ts `alias`).
module.exports = process.getBuiltinModule('node:https');
