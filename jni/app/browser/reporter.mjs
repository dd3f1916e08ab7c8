// One line per test ("PASS name" / "FAIL name: why"), then "browser: N passed, M failed"
// (jni/app/test.sh adds these to the JUnit counts).
export default async function* reporter(source) {
  let passed = 0;
  let failed = 0;
  for await (const event of source) {
    const d = event.data;
    if ((event.type !== 'test:pass' && event.type !== 'test:fail') || d.nesting !== 0
        || (d.details && d.details.type === 'suite')) {
      continue;
    }
    if (event.type === 'test:pass' && !d.skip && !d.todo) {
      passed++;
      yield `PASS ${d.name}\n`;
    } else {
      failed++;
      const err = d.details && d.details.error;
      const cause = err && (err.cause || err);
      const why = cause ? String(cause.message || cause).split('\n').slice(0, 6).join('\n    ') : 'skipped';
      yield `FAIL ${d.name}\n    ${why}\n`;
    }
  }
  yield `browser: ${passed} passed, ${failed} failed\n`;
}
