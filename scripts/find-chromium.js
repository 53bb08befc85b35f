// The browser the report test (test/integration/report-html.test.ts) opens report.html in.
// `npm test` runs this first (pretest), so a machine without one stops at once with the one
// line that fixes it, instead of one failed test at the end of the run. Never a skip.
const { execFileSync } = require('node:child_process');
const { accessSync, constants } = require('node:fs');

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
const FIX =
  'the report test needs Chromium: install it (Debian/Ubuntu: sudo apt-get install -y chromium; macOS: brew install --cask chromium), or set CONVERGE_TEST_CHROMIUM to a Chrome or Chromium binary';

/** The Chromium binary to run: CONVERGE_TEST_CHROMIUM, else the first of NAMES on PATH. */
function findChromium() {
  const given = process.env.CONVERGE_TEST_CHROMIUM;
  if (given) {
    try {
      accessSync(given, constants.X_OK);
      return given;
    } catch {
      throw new Error(`CONVERGE_TEST_CHROMIUM=${given} is not an executable file; ${FIX}`);
    }
  }
  for (const name of NAMES) {
    try {
      return execFileSync('sh', ['-c', 'command -v "$0"', name], { encoding: 'utf8' }).trim();
    } catch {
      // Not on PATH: try the next name.
    }
  }
  throw new Error(`no Chromium found (looked for ${NAMES.join(', ')} on PATH); ${FIX}`);
}

module.exports = { findChromium };

if (require.main === module) {
  try {
    findChromium();
  } catch (e) {
    process.stderr.write(`npm test: ${e.message}\n`);
    process.exitCode = 1;
  }
}
