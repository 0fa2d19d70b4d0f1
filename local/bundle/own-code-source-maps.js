// esbuild plugins for the Lambda bundles (serverless.yml custom.esbuild.plugins).
//
// Source maps for our own code only. A function's minified dependencies (the AWS SDK, ioredis, the MQ SDK) make up
// over 95% of its bundle and their mappings would more than double its zip (a map is larger than the code it maps);
// a stack frame inside them is read by its function name anyway. Frames in our code still map to the TypeScript line.
const { readFileSync, writeFileSync } = require('node:fs');
const { decode, encode } = require('@jridgewell/sourcemap-codec');

/** Drops every mapping segment, source and name that does not belong to our code. */
function keepOwnMappings(map) {
  const own = map.sources.map((source) => !source.includes('node_modules/'));
  const sourceIndex = [];
  const sources = map.sources.filter((source, i) => {
    if (own[i]) sourceIndex[i] = sourceIndex.filter((x) => x !== undefined).length;
    return own[i];
  });
  const names = [];
  const nameIndex = new Map();
  const lines = decode(map.mappings).map((line) =>
    line
      .filter((segment) => segment.length > 1 && own[segment[1]])
      .map((segment) => {
        const kept = [segment[0], sourceIndex[segment[1]], segment[2], segment[3]];
        if (segment.length === 5) {
          const name = map.names[segment[4]];
          if (!nameIndex.has(name)) nameIndex.set(name, names.push(name) - 1);
          kept.push(nameIndex.get(name));
        }
        return kept;
      }),
  );
  return { ...map, sources, names, mappings: encode(lines) };
}

const ownCodeSourceMaps = {
  name: 'own-code-source-maps',
  setup(build) {
    // The outputs are listed in the metafile (asked for here, so serverless-esbuild does not write it next to the zip).
    build.initialOptions.metafile = true;
    build.onEnd((result) => {
      if (result.errors.length > 0) return;
      const outputs = Object.keys(result.metafile?.outputs ?? {}).filter((file) => file.endsWith('.map'));
      for (const file of outputs) {
        const map = JSON.parse(readFileSync(file, 'utf8'));
        writeFileSync(file, JSON.stringify(keepOwnMappings(map)));
      }
    });
  },
};

module.exports = [ownCodeSourceMaps];
module.exports.keepOwnMappings = keepOwnMappings;
