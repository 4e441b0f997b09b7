//! The graph over demo data: pages, cursors, filters, relations.
use crate::helpers::*;
use crate::on_both_backends;
use serde_json::json;

on_both_backends! {
    async fn pages_follow_cursors_without_gaps_or_repeats(backend: Backend) {
        let app = spawn_app_with_demo(backend, 45).await.expect("app");
        let query = "query($after: String) { clients(first: 20, after: $after, orderBy: ID_ASC) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }";
        let (mut seen, mut after) = (Vec::new(), serde_json::Value::Null);
        loop {
            let response = app.graphql(query, json!({ "after": after })).await;
            let page = &response["data"]["clients"];
            assert_eq!(page["totalCount"], 45, "{response}");
            seen.extend(page["nodes"].as_array().expect("nodes").iter().map(|n| n["id"].as_str().expect("id").to_owned()));
            if page["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = page["pageInfo"]["endCursor"].clone();
        }
        let mut sorted = seen.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(seen.len(), 45);
        assert_eq!(sorted, seen, "ID_ASC pages in order without repeats");
    }
}

on_both_backends! {
    async fn filters_narrow_the_list_to_matching_clients(backend: Backend) {
        let app = spawn_app_with_demo(backend, 60).await.expect("app");
        let query = "query($filter: ClientFilterInput) { clients(first: 100, filter: $filter) { totalCount nodes { id name tier status healthScore csmOwner } } }";
        let all = app.graphql(query, json!({})).await;
        let total = all["data"]["clients"]["totalCount"].as_u64().expect("total");
        assert_eq!(total, 60);

        let enterprise = app.graphql(query, json!({ "filter": { "tier": "ENTERPRISE" } })).await;
        let nodes = enterprise["data"]["clients"]["nodes"].as_array().expect("nodes").clone();
        assert!(nodes.iter().all(|n| n["tier"] == "ENTERPRISE"));

        let healthy = app.graphql(query, json!({ "filter": { "healthMin": 70, "healthMax": 100 } })).await;
        let nodes = healthy["data"]["clients"]["nodes"].as_array().unwrap_or_else(|| panic!("{healthy}")).clone();
        assert!(!nodes.is_empty(), "demo data has healthy clients");
        assert!(nodes.iter().all(|n| n["healthScore"].as_i64().is_some_and(|h| h >= 70)), "{healthy}");

        let some_name = all["data"]["clients"]["nodes"][0]["name"].as_str().expect("name").to_owned();
        let part = some_name.to_uppercase().chars().take(4).collect::<String>();
        let searched = app.graphql(query, json!({ "filter": { "search": part } })).await;
        let nodes = searched["data"]["clients"]["nodes"].as_array().expect("nodes").clone();
        assert!(nodes.iter().any(|n| n["name"] == some_name.as_str()), "case-insensitive search finds {some_name}");
    }
}

on_both_backends! {
    async fn renewal_before_finds_clients_with_an_open_renewal_in_time(backend: Backend) {
        let app = spawn_app_with_demo(backend, 60).await.expect("app");
        let cutoff = (chrono::Utc::now().date_naive() + chrono::Duration::days(120)).to_string();
        let query = "query($filter: ClientFilterInput) { clients(first: 100, filter: $filter) { totalCount nodes { renewals(status: OPEN) { renewalDate } } } }";
        let response = app.graphql(query, json!({ "filter": { "renewalBefore": cutoff } })).await;
        let nodes = response["data"]["clients"]["nodes"].as_array().expect("nodes").clone();
        assert!(!nodes.is_empty(), "{response}");
        for node in nodes {
            let dates: Vec<&str> = node["renewals"].as_array().expect("renewals").iter().map(|r| r["renewalDate"].as_str().expect("date")).collect();
            assert!(dates.iter().any(|d| *d < cutoff.as_str()), "{dates:?}");
        }
    }
}

on_both_backends! {
    async fn a_client_shows_its_relations(backend: Backend) {
        let app = spawn_app_with_demo(backend, 20).await.expect("app");
        let query = "{ clients(first: 20, filter: { status: ACTIVE }) { nodes { id arr currentContract { id arr status items { quantity arr product { id kind } } renewal { status client { id } } client { id } } contacts { email isPrimary } latestUsage { seatsLicensed seatUtilization } health { score trend } usageHistory { periodStart } healthHistory { asOf } revenueEvents { kind arrDelta } opportunities { id stage client { id } } } } products { id family kind } }";
        let response = app.graphql(query, json!({})).await;
        assert!(response["errors"].is_null(), "{response}");
        let nodes = response["data"]["clients"]["nodes"].as_array().expect("nodes");
        assert!(!nodes.is_empty());
        for node in nodes {
            let contract = &node["currentContract"];
            assert_eq!(contract["status"], "ACTIVE");
            assert_eq!(contract["client"]["id"], node["id"]);
            assert_eq!(contract["renewal"]["status"], "OPEN");
            assert_eq!(node["contacts"].as_array().expect("contacts").iter().filter(|c| c["isPrimary"] == true).count(), 1);
            assert!(!node["usageHistory"].as_array().expect("usage").is_empty());
        }
    }
}

on_both_backends! {
    async fn a_pages_contract_items_match_the_contract_read_alone(backend: Backend) {
        // A page reads its contracts' items with the contracts (one row per contract on
        // PostgreSQL, items as arrays; one row per item on SQLite); `contract(id)` reads them
        // through the items loader. Both must give the same items, in the same order.
        let app = spawn_app_with_demo(backend, 40).await.expect("app");
        let item = "items { id quantity arr product { id } }";
        let page = app
            .graphql(&format!("{{ clients(first: 40, orderBy: ID_ASC) {{ nodes {{ contracts {{ id arr {item} }} }} }} }}"), json!({}))
            .await;
        let nodes = page["data"]["clients"]["nodes"].as_array().expect("nodes").clone();
        let contracts: Vec<_> = nodes.iter().flat_map(|n| n["contracts"].as_array().expect("contracts").clone()).collect();
        assert!(contracts.iter().any(|c| c["items"].as_array().is_some_and(|i| i.len() > 1)), "a contract with several items");
        for contract in &contracts {
            let alone = app
                .graphql(&format!("query($id: ID!) {{ contract(id: $id) {{ id arr {item} }} }}"), json!({ "id": contract["id"] }))
                .await;
            assert_eq!(&alone["data"]["contract"], contract, "{alone}");
            let item_cents: i64 = contract["items"].as_array().expect("items").iter().map(|i| cents(&i["arr"])).sum();
            assert_eq!(cents(&contract["arr"]), item_cents, "contract ARR is the sum of its items");
        }
    }
}

on_both_backends! {
    async fn contracts_decoded_by_position_equal_the_entity_read(backend: Backend) {
        // The whole-book contract reads select named columns and decode them by position; every
        // field must come out as the entity read (by column name) gives it.
        let app = spawn_app_with_demo(backend, 12).await.expect("app");
        let mut by_position = expansion_api::db::contracts::with_renewals(&app.db).await.expect("read");
        // `by_ids` reads the entity (by column name) and converts it.
        let ids: Vec<String> = by_position.iter().map(|c| c.id.clone()).collect();
        let mut by_name = expansion_api::db::contracts::by_ids(&app.db, &ids).await.expect("entity read");
        by_name.sort_by(|a, b| a.id.cmp(&b.id));
        by_position.sort_by(|a, b| a.id.cmp(&b.id));
        assert!(by_position.len() > 10, "the demo's contracts have renewals");
        assert_eq!(by_position, by_name);
    }
}
