//! 118 over the demo book: the forecast's arithmetic, the backtest, and `Client.renewalProbability`
//! fitted once per request.
use crate::helpers::*;
use crate::on_both_backends;
use serde_json::json;

const FORECAST: &str = "query($days: Int = 180) { renewalForecast(forecastPeriodDays: $days) { asOf periodEnd renewalsDue arrRenewing \
    predictedRenewalRate predictedRetainedArr predictedChurnArr \
    categories { highConfidence { count arr } mediumConfidence { count arr } atRisk { count arr } } \
    renewals { renewalId renewalDate arr probability category factors { name value } } \
    model { kind trainedOn positives brierScore } riskAnalysis { factors { factor accountsAffected arr } mitigationSteps } } }";

on_both_backends! {
    async fn predicted_retained_arr_is_the_probability_weighted_arr(backend: Backend) {
        let app = spawn_app_with_demo(backend, 150).await.expect("app");
        let response = app.graphql(FORECAST, json!({ "days": 180 })).await;
        let forecast = &response["data"]["renewalForecast"];
        let renewals = forecast["renewals"].as_array().unwrap_or_else(|| panic!("{response}"));
        assert!(!renewals.is_empty());
        assert_eq!(forecast["model"]["kind"], "LOGISTIC", "the demo book has enough closed renewals");
        assert_eq!(forecast["renewalsDue"], json!(renewals.len()));

        let as_of = date(&forecast["asOf"]);
        let (mut arr, mut retained) = (0i64, 0i64);
        for r in renewals {
            let p = r["probability"].as_f64().expect("p");
            assert!((0.0..=1.0).contains(&p));
            let d = date(&r["renewalDate"]);
            assert!(d >= as_of && d <= date(&forecast["periodEnd"]), "{r}");
            arr += cents(&r["arr"]);
            retained += (cents(&r["arr"]) as f64 * p).round() as i64;
        }
        assert_eq!(cents(&forecast["arrRenewing"]), arr);
        assert_eq!(cents(&forecast["predictedRetainedArr"]), retained);
        assert_eq!(cents(&forecast["predictedChurnArr"]), arr - retained);
        let categories = &forecast["categories"];
        let count: i64 = ["highConfidence", "mediumConfidence", "atRisk"].iter().map(|c| categories[c]["count"].as_i64().expect("n")).sum();
        let category_arr: i64 = ["highConfidence", "mediumConfidence", "atRisk"].iter().map(|c| cents(&categories[c]["arr"])).sum();
        assert_eq!((count, category_arr), (renewals.len() as i64, arr), "categories partition the renewals");
        assert_eq!(forecast["riskAnalysis"]["factors"].as_array().map(Vec::len), Some(6));
    }
}

on_both_backends! {
    async fn the_backtest_scores_the_model_against_the_heuristic(backend: Backend) {
        let app = spawn_app_with_demo(backend, 150).await.expect("app");
        let today = chrono::Utc::now().date_naive();
        let from = today - chrono::Days::new(365);
        let query = "query($from: Date!, $to: Date!) { renewalForecastBacktest(from: $from, to: $to) { evaluated positives brierScore logLoss heuristicBrierScore calibration { count } model { kind } } }";
        let response = app.graphql(query, json!({ "from": from.to_string(), "to": (today - chrono::Days::new(1)).to_string() })).await;
        let backtest = &response["data"]["renewalForecastBacktest"];
        let evaluated = backtest["evaluated"].as_i64().unwrap_or_else(|| panic!("{response}"));
        assert!(evaluated > 0);
        let buckets: i64 = backtest["calibration"].as_array().expect("buckets").iter().map(|b| b["count"].as_i64().expect("n")).sum();
        assert_eq!(buckets, evaluated, "calibration buckets hold every evaluated renewal");
        let (model, heuristic) = (backtest["brierScore"].as_f64().expect("brier"), backtest["heuristicBrierScore"].as_f64().expect("brier"));
        eprintln!("{backend:?}: backtest over {evaluated} renewals: model Brier {model}, heuristic {heuristic}");
        assert!((0.0..=1.0).contains(&model) && (0.0..=1.0).contains(&heuristic));

        let reversed = app.graphql(query, json!({ "from": today.to_string(), "to": from.to_string() })).await;
        assert_eq!(error_code(&reversed), "BAD_USER_INPUT");
    }
}

/// Statements the server sends for a page of `n` clients with their renewal probability.
async fn statements_for_probabilities(app: &TestApp, n: usize) -> u64 {
    let before = app.sql_statements.get();
    let response = app
        .graphql(
            "query($n: Int!) { clients(first: $n) { nodes { id renewalProbability } } }",
            json!({ "n": n }),
        )
        .await;
    let nodes = response["data"]["clients"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{response}"));
    assert_eq!(nodes.len(), n);
    assert!(nodes.iter().any(|c| c["renewalProbability"].is_f64()));
    app.sql_statements.get() - before
}

on_both_backends! {
    async fn renewal_probability_fits_the_model_once_per_request(backend: Backend) {
        let app = spawn_app_with_demo(backend, 120).await.expect("app");
        let for_10 = statements_for_probabilities(&app, 10).await;
        let for_100 = statements_for_probabilities(&app, 100).await;
        assert_eq!(for_10, for_100);
        // count + page + the book (renewals, contracts, clients, usage, health, opportunities)
        assert!(for_100 <= 8, "{for_100} statements");
    }
}

on_both_backends! {
    async fn a_forecast_period_below_one_day_is_refused(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        for days in [0, -5, 731] {
            let response = app.graphql(FORECAST, json!({ "days": days })).await;
            assert_eq!(error_code(&response), "BAD_USER_INPUT", "{response}");
            assert_eq!(response["errors"][0]["extensions"]["field"], "forecastPeriodDays");
        }
    }
}

on_both_backends! {
    async fn the_forecast_reads_the_same_snapshots_the_whole_history_would_give(backend: Backend) {
        use expansion_api::processes::forecast::{backtest, renewal_forecast, ForecastParams, ModelParams};
        let app = spawn_app_with_demo(backend, 120).await.expect("app");
        let today = chrono::Utc::now().date_naive();
        for as_of in [today, today - chrono::Days::new(365)] {
            let sparse = expansion_api::services::forecast::load_data(&app.db, as_of).await.expect("load");
            let mut full = sparse.clone();
            let ids: Vec<String> = full.clients.keys().cloned().collect();
            let usage = expansion_api::db::snapshots::usage_by_client_ids(&app.db, &ids).await.expect("usage");
            let health = expansion_api::db::snapshots::health_by_client_ids(&app.db, &ids).await.expect("health");
            for history in full.clients.values_mut() {
                history.usage.clear();
                history.health.clear();
            }
            for u in usage.into_iter().filter(|u| u.period_start <= as_of) {
                full.clients.get_mut(&u.client_id).expect("client").usage.push(u);
            }
            for h in health.into_iter().filter(|h| h.as_of <= as_of) {
                full.clients.get_mut(&h.client_id).expect("client").health.push(h);
            }
            let rows = |d: &expansion_api::processes::forecast::ForecastData| d.clients.values().map(|h| h.usage.len()).sum::<usize>();
            assert!(rows(&sparse) * 3 < rows(&full), "only the rows the features read are loaded");
            let params = ForecastParams::default();
            assert_eq!(renewal_forecast(&sparse, &params, as_of).expect("sparse"), renewal_forecast(&full, &params, as_of).expect("full"));
            let to = as_of + chrono::Days::new(364);
            let model = ModelParams::default();
            assert_eq!(backtest(&sparse, &model, as_of, to).expect("sparse"), backtest(&full, &model, as_of, to).expect("full"));
        }
    }
}
