// Runs graphql-http's auditServer (the GraphQL-over-HTTP spec's conformance audits) against a
// running server and fails on any audit that is not ok — MUST, SHOULD and MAY alike, because the
// contract in DESIGN.md §4 is the spec in full, not only its MUSTs.
//
// Usage: node audit.mjs http://127.0.0.1:8080/graphql   (or GRAPHQL_URL=…)
import { auditServer } from 'graphql-http';

const url = process.argv[2] ?? process.env.GRAPHQL_URL;
if (!url) {
  console.error('usage: node audit.mjs <graphql url>   (or set GRAPHQL_URL)');
  process.exit(2);
}

const results = await auditServer({ url });
const levels = { MUST: [0, 0], SHOULD: [0, 0], MAY: [0, 0] };
let failed = 0;
for (const result of results) {
  const level = result.name.split(' ')[0];
  const ok = result.status === 'ok';
  levels[level][ok ? 0 : 1] += 1;
  if (ok) {
    console.log(`ok    ${result.id} ${result.name}`);
  } else {
    failed += 1;
    let body = '';
    try {
      body = (await result.response.text()).slice(0, 300);
    } catch {
      // The body was already read by the failed assertion; the reason says enough.
    }
    console.log(`FAIL  ${result.id} ${result.name}: ${result.reason}`);
    if (body) console.log(`      status ${result.response.status}, body ${body}`);
  }
}
const perLevel = Object.entries(levels)
  .map(([level, [ok, bad]]) => `${level} ${ok}/${ok + bad}`)
  .join(', ');
console.log(`\ngraphql-http audit: ${results.length - failed} passed, ${failed} failed (${perLevel})`);
process.exit(failed === 0 ? 0 : 1);
