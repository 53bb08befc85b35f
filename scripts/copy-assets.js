// tsc compiles .ts only; catalog .sql files and run-history migrations are read at run time
// from beside the compiled code, so copy them into dist/ with the same layout.
const fs = require('node:fs');
const path = require('node:path');
function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.sql')) {
      const out = path.join('dist', p);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.copyFileSync(p, out);
    }
  }
}
walk('src');
