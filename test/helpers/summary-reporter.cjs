// Prints one machine-readable closing line: "jest: N passed, N failed[, N skipped]".
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const tail = skipped ? `, ${skipped} skipped` : "";
    process.stdout.write(`jest: ${results.numPassedTests} passed, ${results.numFailedTests}${results.numRuntimeErrorTestSuites ? ` + ${results.numRuntimeErrorTestSuites} suites` : ""} failed${tail}\n`);
  }
}
module.exports = SummaryReporter;
