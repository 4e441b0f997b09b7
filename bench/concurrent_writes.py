#!/usr/bin/env python3
"""Concurrent writers against a running server: how many mutations fail, and how many succeed per second.

    python3 bench/concurrent_writes.py http://127.0.0.1:8080 --writers 16 --seconds 10

Each writer loops over a mix of addContact, recordUsage, createOpportunity and
updateOpportunity → WON on clients that have an active contract (the demo book has them), over
one keep-alive connection. Prints one line: writers, acknowledged mutations, failures by
`extensions.code`, failure rate and acknowledged mutations/s. Standard library only.
"""
import argparse
import collections
import http.client
import itertools
import json
import random
import threading
import time
import urllib.parse

CLIENTS = "{ clients(first: 100, filter: { status: ACTIVE }) { nodes { id currentContract { id } } } }"
ADD_CONTACT = "mutation($i: AddContactInput!) { addContact(input: $i) { id } }"
RECORD_USAGE = "mutation($i: RecordUsageInput!) { recordUsage(input: $i) { periodStart } }"
CREATE_OPP = "mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { id version } }"
WIN_OPP = "mutation($id: ID!, $v: Int!) { updateOpportunity(id: $id, expectedVersion: $v, input: { stage: WON }) { id stage } }"

MONTHS = itertools.count()  # a fresh month per usage row: (client, month) is unique (see --month-base)
MONTHS_LOCK = threading.Lock()
SEEN = {}  # the first message of each failure code, printed at the end


def next_month():
    with MONTHS_LOCK:
        k = next(MONTHS)
    return "%04d-%02d-01" % (2100 + k // 12, k % 12 + 1)


class Writer(threading.Thread):
    def __init__(self, url, clients, deadline, seed, results):
        super().__init__(daemon=True)
        self.target = urllib.parse.urlparse(url)
        self.clients, self.deadline, self.rng, self.results = clients, deadline, random.Random(seed), results
        self.conn = None

    def post(self, query, variables):
        body = json.dumps({"query": query, "variables": variables})
        for attempt in range(2):  # one reconnect if the keep-alive connection was closed
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.target.hostname, self.target.port, timeout=60)
                self.conn.request("POST", "/graphql", body, {"Content-Type": "application/json"})
                response = self.conn.getresponse()
                return response.status, json.loads(response.read() or b"{}")
            except (http.client.HTTPException, OSError):
                self.conn = None
                if attempt:
                    return 0, {"errors": [{"extensions": {"code": "CONNECTION_FAILED"}}]}

    def count(self, name, status, payload):
        errors = payload.get("errors") or []
        if status == 200 and not errors:
            self.results["ok"] += 1
            self.results["ok:" + name] += 1
            return True
        code = (errors[0].get("extensions") or {}).get("code", "NO_CODE") if errors else "HTTP_%d" % status
        self.results["fail:" + code] += 1
        if code not in SEEN:
            SEEN[code] = "%s: %s" % (name, (errors[0].get("message") if errors else status))
        return False

    def run(self):
        n = 0
        while time.monotonic() < self.deadline:
            n += 1
            client = self.rng.choice(self.clients)
            op = self.rng.randrange(4)
            if op == 0:
                tag = "%d-%d-%d" % (self.ident, n, self.rng.randrange(10**9))
                v = {"i": {"clientId": client, "name": "Load Writer " + tag, "email": "w%s@example.com" % tag, "role": "USER"}}
                self.count("addContact", *self.post(ADD_CONTACT, v))
            elif op == 1:
                v = {"i": {"clientId": client, "periodStart": next_month(), "seatsLicensed": 50, "activeUsers": 40,
                           "usageRate": 0.8, "featureAdoption": 0.5}}
                self.count("recordUsage", *self.post(RECORD_USAGE, v))
            else:
                v = {"i": {"clientId": client, "opportunityType": "USAGE_EXPANSION", "name": "Load opportunity",
                           "value": "100.00", "probability": 0.5, "stage": "PROPOSED"}}
                status, payload = self.post(CREATE_OPP, v)
                if self.count("createOpportunity", status, payload) and op == 3:
                    opp = payload["data"]["createOpportunity"]
                    self.count("wonOpportunity", *self.post(WIN_OPP, {"id": opp["id"], "v": opp["version"]}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--json", action="store_true", help="print the counts as JSON too")
    parser.add_argument("--month-base", type=int, default=0,
                        help="first usage month, in months after 2100-01 (give each run on one database its own)")
    args = parser.parse_args()
    global MONTHS
    MONTHS = itertools.count(args.month_base)
    setup = Writer(args.url, [], 0, 0, collections.Counter())
    status, payload = setup.post(CLIENTS, {})
    clients = [c["id"] for c in payload["data"]["clients"]["nodes"] if c["currentContract"]]
    assert clients, "no client with an active contract: seed the demo book first"
    results = [collections.Counter() for _ in range(args.writers)]
    deadline = time.monotonic() + args.seconds
    started = time.monotonic()
    writers = [Writer(args.url, clients, deadline, i, results[i]) for i in range(args.writers)]
    for w in writers:
        w.start()
    for w in writers:
        w.join()
    elapsed = time.monotonic() - started
    total = sum(results, collections.Counter())
    failed = sum(v for k, v in total.items() if k.startswith("fail:"))
    attempts = total["ok"] + failed
    codes = ", ".join("%s %d" % (k[5:], v) for k, v in sorted(total.items()) if k.startswith("fail:")) or "none"
    print("writers %d: %d acknowledged, %d failed (%.1f %%; %s), %.0f acknowledged mutations/s over %.1f s"
          % (args.writers, total["ok"], failed, 100.0 * failed / max(attempts, 1), codes, total["ok"] / elapsed, elapsed))
    for code, message in sorted(SEEN.items()):
        print("  first %s: %s" % (code, message))
    if args.json:
        print(json.dumps(total))


if __name__ == "__main__":
    main()
