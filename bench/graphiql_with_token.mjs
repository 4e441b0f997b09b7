// GraphiQL on a token-protected server, in a real (headless) browser: opens the bundled GraphiQL,
// types `Authorization: Bearer <token>` into its Headers tab, re-fetches the schema (the standard
// introspection query, under the default limits), opens the docs explorer at `Query`, asks the
// editor for completions, runs a query, and runs a subscription whose connection_init carries the
// header, while an ADMIN wins an opportunity over POST. Prints what it saw; exits 1 on a failure.
//   npm install playwright-core   (Debian: apt-get install chromium)
//   VIEWER=exp_… ADMIN=exp_… node bench/graphiql_with_token.mjs http://127.0.0.2:8080 [shot.png]
import { chromium } from "playwright-core";

const base = process.argv[2] ?? "http://127.0.0.2:8080";
const shot = process.argv[3];
const { VIEWER, ADMIN } = process.env;
if (!VIEWER || !ADMIN) throw new Error("set VIEWER and ADMIN to tokens of those roles");

let failures = 0;
const check = (ok, what) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures += 1;
};

async function graphql(token, query, variables = {}) {
  const response = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

const anonymous = await fetch(`${base}/graphql`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ query: "{ __typename }" }),
});
check(anonymous.status === 401, `anonymous POST refused: ${anonymous.status}`);

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
const frames = [];
page.on("websocket", (ws) => {
  ws.on("framesent", (f) => frames.push(`→ ${f.payload}`));
  ws.on("framereceived", (f) => frames.push(`← ${f.payload}`));
});
await page.goto(`${base}/graphql`, { waitUntil: "networkidle" });
await page.waitForSelector(".graphiql-query-editor .CodeMirror");

// The Headers tab, then its editor (the tool pane's editor not hidden).
await page.getByRole("button", { name: "Headers" }).click();
await page.waitForTimeout(300);
await page.evaluate((header) => {
  document.querySelector(".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror").CodeMirror.setValue(header);
}, JSON.stringify({ Authorization: `Bearer ${VIEWER}` }));
await page.waitForTimeout(300);
const introspection = page.waitForResponse((r) => r.url().endsWith("/graphql") && r.request().method() === "POST"
  && (r.request().headers()["authorization"] ?? "").startsWith("Bearer "));
await page.getByRole("button", { name: /Re-fetch GraphQL schema/i }).click();
const schemaResponse = await introspection;
const schema = await schemaResponse.json();
const types = schema.data?.__schema?.types?.length ?? 0;
check(schemaResponse.status() === 200 && types > 0 && !schema.errors,
  `introspection with the header: ${schemaResponse.status()}, ${types} types, cost ${JSON.stringify(schema.extensions?.cost)}, errors ${JSON.stringify(schema.errors)}`);

// Docs explorer: the root types and a field of Query.
await page.getByRole("button", { name: /Show Documentation Explorer/i }).click();
await page.waitForTimeout(500);
const docs = await page.locator(".graphiql-doc-explorer").innerText();
check(docs.includes("Query") && docs.includes("Mutation"), "docs explorer lists Query and Mutation");
await page.locator(".graphiql-doc-explorer a", { hasText: "Query" }).first().click();
await page.waitForTimeout(500);
const queryDocs = await page.locator(".graphiql-doc-explorer").innerText();
check(queryDocs.includes("renewalForecast"), "docs of Query show renewalForecast");

// Autocomplete: type `{ renew` and ask for completions.
await page.evaluate(() => {
  const cm = document.querySelector(".graphiql-query-editor .CodeMirror").CodeMirror;
  cm.setValue("{ renew");
  cm.focus();
  cm.setCursor({ line: 0, ch: 7 });
});
await page.keyboard.press("Control+Space");
await page.waitForTimeout(800);
const hints = await page.locator(".CodeMirror-hints li").allInnerTexts();
check(hints.some((h) => h.startsWith("renewal")), `autocomplete offers ${hints.slice(0, 4).join(", ")}`);
await page.keyboard.press("Escape");

// A query through GraphiQL with the header.
await page.evaluate(() => {
  document.querySelector(".graphiql-query-editor .CodeMirror").CodeMirror.setValue("{ clients(first: 2) { totalCount } }");
});
await page.waitForTimeout(300);
await page.click(".graphiql-execute-button");
await page.waitForTimeout(1500);
const result = await page.locator(".graphiql-response").innerText();
check(result.includes("totalCount"), "query answered in the result pane");

// A subscription: GraphiQL sends the headers as the connection_init payload.
await page.evaluate(() => {
  document.querySelector(".graphiql-query-editor .CodeMirror").CodeMirror.setValue(
    "subscription { events(types: [OPPORTUNITY_WON]) { type subjectId reason } }");
});
await page.waitForTimeout(300);
await page.click(".graphiql-execute-button");
await page.waitForTimeout(1000);
const clients = await graphql(ADMIN, "{ clients(first: 20, filter: { status: ACTIVE }) { nodes { id currentContract { id } } } }");
const client = clients.data.clients.nodes.find((c) => c.currentContract).id;
const created = await graphql(ADMIN,
  "mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { id } }",
  { i: { clientId: client, opportunityType: "USAGE_EXPANSION", name: "GraphiQL token check", value: "900.00", probability: 0.5, stage: "PROPOSED" } });
const id = created.data.createOpportunity.id;
await graphql(ADMIN, "mutation($id: ID!) { updateOpportunity(id: $id, expectedVersion: 1, input: { stage: WON }) { stage } }", { id });
await page.waitForTimeout(2000);
const live = await page.locator(".graphiql-response").innerText();
check(live.includes(id), `subscription received the win of ${id}`);
const init = frames.find((f) => f.includes("connection_init")) ?? "";
check(init.includes("Authorization"), "connection_init carried the Authorization header");
console.log(frames.map((f) => f.replace(VIEWER, "exp_…(viewer)")).join("\n"));

if (shot) await page.screenshot({ path: shot });
await browser.close();
process.exit(failures ? 1 : 0);
