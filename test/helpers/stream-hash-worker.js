'use strict';
// verify's hashing thread run from its TypeScript source (tests run unbuilt): each .ts module is
// compiled as it is required, then the worker starts as it does from the build.
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

require.extensions['.ts'] = (module, file) =>
  module._compile(
    ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: file,
    }).outputText,
    file,
  );
require(path.join(__dirname, '..', '..', 'src', 'verify', 'stream-hash-worker.ts'));
