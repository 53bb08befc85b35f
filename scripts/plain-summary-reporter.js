// Prints one plain closing line ("tests: N passed, N failed, N skipped") that any CI can read,
// after jest's own summary.
class PlainSummaryReporter {
  onRunComplete(_contexts, r) {
    process.stdout.write(
      `\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped\n`,
    );
  }
}
module.exports = PlainSummaryReporter;
