// Parses each AsyncAPI document named on the command line with the official parser (@asyncapi/parser, which validates
// against the AsyncAPI JSON schemas and runs its default Spectral rules) and prints, as JSON, one result per document:
// its diagnostics, and how many channels, operations and messages the parsed document has.
// Usage: node validate.mjs <document.json>...   Exit code: 0 when no document has an error diagnostic, 1 otherwise, 2 usage.
import { readFile } from 'node:fs/promises';
import { Parser } from '@asyncapi/parser';

const severities = ['error', 'warning', 'information', 'hint'];
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('Usage: node validate.mjs <asyncapi-document.json>...');
  process.exit(2);
}

const parser = new Parser();
const results = [];
for (const file of files) {
  const { document, diagnostics } = await parser.parse(await readFile(file, 'utf8'), { source: file });
  results.push({
    file,
    parsed: document !== undefined,
    version: document?.version() ?? null,
    channels: document?.channels().length ?? 0,
    operations: document?.operations().length ?? 0,
    messages: document?.messages().length ?? 0,
    diagnostics: diagnostics.map(d => ({
      severity: severities[d.severity] ?? String(d.severity),
      code: String(d.code),
      message: d.message,
      path: d.path.join('/'),
    })),
  });
}

console.log(JSON.stringify(results, null, 2));
process.exitCode = results.every(r => r.parsed && r.diagnostics.every(d => d.severity !== 'error')) ? 0 : 1;
