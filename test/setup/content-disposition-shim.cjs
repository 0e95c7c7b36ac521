'use strict';
/* global module */
// content-disposition 3's `create(filename)` for @fastify/static under Jest (see cjs-resolver.cjs):
// an RFC 6266 `attachment` with the filename quoted, and an RFC 5987 form for non-ASCII names.
function create(filename, options = {}) {
  const type = options.type ?? 'attachment';
  if (filename === undefined) return type;
  const name = path_basename(String(filename));
  const ascii = name.replace(/[^\x20-\x7e]/g, '?').replace(/[\\"]/g, '\\$&');
  const extended = /[^\x20-\x7e]/.test(name)
    ? `; filename*=UTF-8''${encodeURIComponent(name)}`
    : '';
  return `${type}; filename="${ascii}"${extended}`;
}

function path_basename(value) {
  return value.split(/[\\/]/).pop();
}

module.exports = { create };
