#!/usr/bin/env python3
"""Issue 13's figures on a running server with the demo book (default: 500 clients, seed 42, asOf
2026-11-26), measured over HTTP as a client would see them:

  pipeline items and total, and duplicate (client, type, product) keys among the open items;
  negotiations per renewal after three negotiateRenewal calls;
  talking points that offer a term outside the guardrails (every client with an open renewal,
  every strategy);
  overdue renewals by risk level;
  the byte size of each MCP tool's default answer;
  DUE reminders on the seed's asOf.

  target/release/expansion-api seed --demo --clients 500 --seed 42 --as-of 2026-11-26
  target/release/expansion-api serve &
  python3 bench/answers_demo.py [http://127.0.0.1:8080] [2026-11-26]

It writes negotiations (that is what negotiateRenewal does): run it on a throwaway database.
"""
import collections
import json
import re
import sys
import urllib.request

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080"
AS_OF = sys.argv[2] if len(sys.argv) > 2 else "2026-11-26"


def post(path, body):
    request = urllib.request.Request(
        BASE + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request) as response:
        return response.read()


def gql(query, variables=None):
    answer = json.loads(post("/graphql", {"query": query, "variables": variables or {}}))
    if answer.get("errors"):
        raise SystemExit(f"GraphQL errors: {answer['errors']}")
    return answer["data"]


def pipeline():
    data = gql(
        """query($asOf: Date) { expansionOpportunities(asOf: $asOf, first: 1000) {
             totalCount clients { clientId opportunities { opportunityType productId stage } }
             portfolio { totalOpportunities totalPipelineValue } } }""",
        {"asOf": AS_OF},
    )["expansionOpportunities"]
    keys = collections.Counter()
    for client in data["clients"]:
        for o in client["opportunities"]:
            per_type = o["opportunityType"] in ("USER_EXPANSION", "USAGE_EXPANSION")
            keys[(client["clientId"], o["opportunityType"], None if per_type else o["productId"])] += 1
    duplicates = sum(1 for n in keys.values() if n > 1)
    p = data["portfolio"]
    print(f"pipeline: {data['totalCount']} clients, {p['totalOpportunities']} opportunities, "
          f"totalPipelineValue {p['totalPipelineValue']}; duplicate (client, type, product) keys: {duplicates}")


def open_renewal_clients():
    data = gql(
        """query($asOf: Date) { renewals(asOf: $asOf, daysUntilRenewal: 730, first: 1000) {
             renewals { clientId } overdue { clientId riskLevel } } }""",
        {"asOf": AS_OF},
    )["renewals"]
    levels = collections.Counter(r["riskLevel"] for r in data["overdue"])
    print(f"overdue renewals: {len(data['overdue'])}, by risk level {dict(levels)}")
    return sorted({r["clientId"] for r in data["renewals"] + data["overdue"]})


NEGOTIATE = """mutation($c: ID!, $s: NegotiationStrategy, $asOf: Date) {
  negotiateRenewal(clientId: $c, negotiationStrategy: $s, asOf: $asOf) {
    id package { termOptions { months discount withinGuardrails } talkingPoints } } }"""
OFFER = re.compile(r"^Offer (\d+) months at ")


def negotiations(clients):
    first = clients[0]
    for _ in range(3):
        gql(NEGOTIATE, {"c": first, "s": "VALUE_REINFORCEMENT", "asOf": AS_OF})
    stored = gql("query($c: ID!) { client(id: $c) { negotiations { renewal { id } status } } }", {"c": first})
    per_renewal = collections.defaultdict(collections.Counter)
    for n in stored["client"]["negotiations"]:
        per_renewal[n["renewal"]["id"]][n["status"]] += 1
    print(f"negotiations after three calls for {first}: {dict((k, dict(v)) for k, v in per_renewal.items())}")

    outside, points, packages = 0, 0, 0
    for client in clients:
        for strategy in ("VALUE_REINFORCEMENT", "COMPETITIVE_DEFENSE", "EXPANSION_BUNDLE"):
            package = gql(NEGOTIATE, {"c": client, "s": strategy, "asOf": AS_OF})["negotiateRenewal"]["package"]
            packages += 1
            within = {t["months"]: t["withinGuardrails"] for t in package["termOptions"]}
            for point in package["talkingPoints"]:
                points += 1
                offer = OFFER.match(point)
                if offer and not within.get(int(offer.group(1)), False):
                    outside += 1
    print(f"talking points offering a term outside the guardrails: {outside} of {points} points "
          f"in {packages} packages ({len(clients)} clients × 3 strategies)")


def mcp_sizes(client):
    tools = json.loads(post("/mcp", {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}))["result"]["tools"]
    sizes = {}
    for tool in tools:
        arguments = {"client_id": client} if tool["inputSchema"].get("required") else {}
        body = post("/mcp", {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                             "params": {"name": tool["name"], "arguments": arguments}})
        sizes[tool["name"]] = len(body)
    print("MCP default answers (bytes): " + ", ".join(f"{k} {v:,}" for k, v in sizes.items()))


def due_reminders():
    data = gql("query($asOf: Date) { dueReminders(asOf: $asOf) { totalCount } }", {"asOf": AS_OF})
    print(f"DUE reminders on {AS_OF}: {data['dueReminders']['totalCount']}")


pipeline()
due_reminders()
clients = open_renewal_clients()
mcp_sizes(clients[0])
negotiations(clients)
