'use strict';
/* global require, module, __dirname */
// Jest (before Node 24.9) cannot `require()` an ES module, which Node 20.19+ can. mercurius
// loads @fastify/static at startup, and @fastify/static requires content-disposition 3, which is
// ESM only. Jest alone gets a CommonJS copy with the same `create`: the resolver leaves every
// other request alone. Only the GraphiQL asset route would call it; the suites disable it.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a Jest resolver is CommonJS
const path = require('node:path');

const SHIM = path.join(__dirname, 'content-disposition-shim.cjs');

module.exports = (request, options) => {
  if (
    request === 'content-disposition' &&
    options.basedir.includes(`${path.sep}@fastify${path.sep}static`)
  ) {
    return SHIM;
  }
  return options.defaultResolver(request, options);
};
