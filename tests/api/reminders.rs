//! 117 reminders as rows: idempotent and concurrent scheduling (requests and the timer's job on two
//! servers sharing one database), the startup run, a CSM's due list, completing and skipping.
use crate::helpers::*;
use crate::on_both_backends;
use expansion_api::scheduler::ReminderScheduler;
use serde_json::{json, Value};
use std::time::Duration;

const SCHEDULE: &str =
    "mutation($days: Int = 120) { scheduleRenewalReminders(daysUntilRenewal: $days) { created asOf windowEnd } }";
const DUE: &str = "query($owner: String) { dueReminders(owner: $owner, first: 100) { totalCount nodes { id offsetDays dueDate dueInDays status \
    renewal { id renewalDate status } client { id csmOwner } } } }";

/// Open renewals dated within `days` of today, counted through the API.
async fn open_renewals_within(app: &TestApp, days: i64) -> i64 {
    let response = app
        .graphql(
            "query($d: Int) { renewals(daysUntilRenewal: $d) { summary { totalRenewalsTracked } } }",
            json!({ "d": days }),
        )
        .await;
    response["data"]["renewals"]["summary"]["totalRenewalsTracked"]
        .as_i64()
        .expect("count")
}

/// Groups of (renewal_id, offset_days) stored more than once.
async fn duplicate_groups(app: &TestApp) -> i64 {
    let table =
        "(SELECT renewal_id, offset_days FROM renewal_reminder GROUP BY renewal_id, offset_days HAVING COUNT(*) > 1) d";
    app.count(table).await
}

/// Reminders of open renewals already overdue: the demo seeds them (worked and current) and the
/// scheduler, which looks ahead from today, never adds any.
async fn reminders_of_overdue_renewals(app: &TestApp) -> i64 {
    let today = chrono::Utc::now().date_naive();
    let overdue = format!("renewal_id IN (SELECT id FROM renewal WHERE status = 'open' AND renewal_date < '{today}')");
    app.count_where("renewal_reminder", &overdue).await
}

fn created(response: &Value) -> i64 {
    response["data"]["scheduleRenewalReminders"]["created"]
        .as_i64()
        .unwrap_or_else(|| panic!("{response}"))
}

on_both_backends! {
    async fn scheduling_creates_each_missing_reminder_once(backend: Backend) {
        let app = spawn_app_with_demo(backend, 80).await.expect("app");
        // The demo seeds the worked task list (the reminders already due); the startup run saw an
        // empty book, so the reminders still ahead are missing.
        let seeded = app.count("renewal_reminder").await;
        assert!(seeded > 0, "the demo seeds the reminders already due");
        let overdue = reminders_of_overdue_renewals(&app).await;
        let renewals = open_renewals_within(&app, 120).await;
        assert!(renewals > 0);

        let first = app.graphql(SCHEDULE, json!({})).await;
        assert_eq!(created(&first), 3 * renewals - (seeded - overdue), "90, 60 and 30 days for each renewal, beyond the seeded ones: {first}");
        let second = app.graphql(SCHEDULE, json!({})).await;
        assert_eq!(created(&second), 0, "{second}");
        assert_eq!(app.count("renewal_reminder").await, 3 * renewals + overdue);

        let tracked = app.graphql("{ renewals(daysUntilRenewal: 120) { renewals { reminders { id } } } }", json!({})).await;
        let ids = tracked["data"]["renewals"]["renewals"].as_array().expect("renewals").iter()
            .flat_map(|r| r["reminders"].as_array().expect("reminders").clone());
        assert!(ids.into_iter().all(|r| r["id"].is_string()), "every tracked reminder is a stored row");
    }
}

on_both_backends! {
    async fn concurrent_schedulers_on_two_servers_never_duplicate(backend: Backend) {
        let app = spawn_app_with_demo(backend, 120).await.expect("app");
        // A second server on the same database runs the job at startup over 120 days.
        let replica = app.spawn_replica().await;
        let at_startup = app.count("renewal_reminder").await;
        let overdue = reminders_of_overdue_renewals(&app).await;
        assert_eq!(at_startup - overdue, 3 * open_renewals_within(&app, 120).await, "the startup run created the window's reminders");

        // Both servers at once, several requests each, over a wider window.
        let mut tasks = Vec::new();
        for i in 0..8 {
            let server = if i % 2 == 0 { app.address.clone() } else { replica.address.clone() };
            let http = app.http.clone();
            tasks.push(tokio::spawn(async move {
                let body = json!({ "query": SCHEDULE, "variables": { "days": 365 } });
                let response: Value = http.post(format!("{server}/graphql")).json(&body).send().await.expect("sent").json().await.expect("json");
                response
            }));
        }
        // And the timer's job itself, on both pools, at the same time.
        let jobs: Vec<_> = [&app, &replica, &app, &replica]
            .iter()
            .map(|server| {
                let job = ReminderScheduler { db: server.db.clone(), offsets: vec![90, 60, 30], interval: Duration::ZERO };
                tokio::spawn(async move { job.run_once().await as i64 })
            })
            .collect();
        let mut total_created = 0;
        for task in tasks {
            let response = task.await.expect("task");
            total_created += created(&response);
        }
        for job in jobs {
            total_created += job.await.expect("job");
        }
        let stored = app.count("renewal_reminder").await;
        assert_eq!(stored - overdue, 3 * open_renewals_within(&app, 365).await);
        assert_eq!(total_created, stored - at_startup, "each row was created by exactly one request");
        assert_eq!(duplicate_groups(&app).await, 0);
    }
}

on_both_backends! {
    async fn a_csm_completes_and_skips_due_reminders(backend: Backend) {
        let app = spawn_app_with_demo(backend, 80).await.expect("app");
        assert!(created(&app.graphql(SCHEDULE, json!({ "days": 120 })).await) > 0);
        let all = app.graphql(DUE, json!({})).await;
        let due = all["data"]["dueReminders"]["nodes"].as_array().expect("nodes").clone();
        assert!(due.len() >= 2, "{all}");
        for r in &due {
            assert_eq!(r["status"], "DUE", "{r}");
            assert!(r["dueInDays"].as_i64().expect("days") <= 0);
            assert_eq!(r["renewal"]["status"], "OPEN");
        }
        let dates: Vec<_> = due.iter().map(|r| date(&r["dueDate"])).collect();
        assert!(dates.windows(2).all(|w| w[0] <= w[1]), "earliest first");

        let owner = due.iter().find(|r| r["client"]["csmOwner"].is_string()).expect("an owned client")["client"]["csmOwner"].clone();
        let mine = app.graphql(DUE, json!({ "owner": owner })).await;
        let mine = mine["data"]["dueReminders"]["nodes"].as_array().expect("nodes").clone();
        assert!(!mine.is_empty() && mine.iter().all(|r| r["client"]["csmOwner"] == owner));

        let complete = "mutation($id: ID!) { completeReminder(id: $id, note: \"Called the champion\") { id status note completedAt } }";
        let skip = "mutation($id: ID!) { skipReminder(id: $id, note: \"Covered in QBR\") { id status note } }";
        let (first, second) = (due[0]["id"].clone(), due[1]["id"].clone());
        let done = app.graphql(complete, json!({ "id": first })).await;
        assert_eq!(done["data"]["completeReminder"]["status"], "COMPLETED", "{done}");
        assert_eq!(done["data"]["completeReminder"]["note"], "Called the champion");
        assert!(done["data"]["completeReminder"]["completedAt"].is_string());
        let again = app.graphql(complete, json!({ "id": first })).await;
        assert_eq!(again["data"]["completeReminder"]["status"], "COMPLETED", "repeating is a no-op: {again}");
        let skipped = app.graphql(skip, json!({ "id": second })).await;
        assert_eq!(skipped["data"]["skipReminder"]["status"], "SKIPPED", "{skipped}");

        let before = app.snapshot_counts().await;
        let conflict = app.graphql(skip, json!({ "id": first })).await;
        assert_eq!(error_code(&conflict), "CONFLICT");
        assert_eq!(error_code(&app.graphql(complete, json!({ "id": "999999" })).await), "NOT_FOUND");
        assert_eq!(app.snapshot_counts().await, before, "refused finishes wrote nothing");

        let after = app.graphql(DUE, json!({})).await;
        assert_eq!(after["data"]["dueReminders"]["totalCount"], json!(all["data"]["dueReminders"]["totalCount"].as_i64().expect("n") - 2));
    }
}
