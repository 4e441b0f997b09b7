// A GraphiQL subscription receiving a live event, in a real (headless) browser: opens the bundled
// GraphiQL at BASE/graphql, runs `subscription { events(types: [OPPORTUNITY_WON]) … }`, wins an
// opportunity through POST /graphql, and prints the WebSocket frames and GraphiQL's result pane.
//   npm install playwright-core   (Debian: apt-get install chromium)
//   node bench/graphiql_subscription.mjs http://127.0.0.1:8080 [screenshot.png]
import { chromium } from "playwright-core";

const base = process.argv[2] ?? "http://127.0.0.1:8080";
const shot = process.argv[3];
const SUBSCRIPTION = `subscription LiveWins {
  events(types: [OPPORTUNITY_WON]) { id type occurredAt clientId subjectId reason data }
}`;

async function graphql(query, variables = {}) {
  const response = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

const stamp = () => new Date().toISOString();
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
page.on("websocket", (ws) => {
  console.log(`${stamp()} browser opened WebSocket ${ws.url()}`);
  ws.on("framesent", (f) => console.log(`${stamp()} → ${f.payload}`));
  ws.on("framereceived", (f) => console.log(`${stamp()} ← ${f.payload}`));
});
await page.goto(`${base}/graphql`, { waitUntil: "networkidle" });
await page.waitForSelector(".graphiql-query-editor .CodeMirror");
await page.evaluate((q) => document.querySelector(".graphiql-query-editor .CodeMirror").CodeMirror.setValue(q), SUBSCRIPTION);
// Let GraphiQL take the edit before running it.
await page.waitForTimeout(500);
await page.click(".graphiql-execute-button");
await page.waitForTimeout(1000);

const clients = await graphql("{ clients(first: 20, filter: { status: ACTIVE }) { nodes { id currentContract { id } } } }");
const client = clients.data.clients.nodes.find((c) => c.currentContract).id;
const created = await graphql(
  "mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { id } }",
  { i: { clientId: client, opportunityType: "USAGE_EXPANSION", name: "GraphiQL live win", value: "4200.00", probability: 0.6, stage: "PROPOSED" } },
);
const id = created.data.createOpportunity.id;
console.log(`${stamp()} mutation: updateOpportunity(${id} → WON) for client ${client}`);
const won = await graphql(
  "mutation($id: ID!) { updateOpportunity(id: $id, expectedVersion: 1, input: { stage: WON }) { id stage } }",
  { id },
);
console.log(`${stamp()} mutation answered ${JSON.stringify(won)}`);

const result = await page.waitForFunction(
  () => {
    const text = document.querySelector(".result-window .CodeMirror")?.CodeMirror.getValue() ?? "";
    return text.includes("OPPORTUNITY_WON") ? text : null;
  },
  null,
  { timeout: 15000 },
);
console.log(`${stamp()} GraphiQL result pane:\n${await result.jsonValue()}`);
if (shot) await page.screenshot({ path: shot });
await browser.close();
