// tests/api/answers.rs — goes with issue-13-rule-10-demo-reminders.patch
on_both_backends! {
    async fn the_demo_task_list_holds_one_current_reminder_per_open_renewal_and_the_earlier_ones_worked(backend: Backend) {
        let app = spawn_app_with_demo(backend, 300).await.expect("app");
        let due = app
            .graphql("{ dueReminders(first: 100) { totalCount edges { node { renewal { id } } } } }", json!({}))
            .await;
        let total = due["data"]["dueReminders"]["totalCount"].as_u64().unwrap_or_else(|| panic!("{due}"));
        assert!(total > 0, "{due}");
        let finished = |status: &str| format!("status = '{status}'");
        let completed = app.count_where("renewal_reminder", &finished("completed")).await;
        let skipped = app.count_where("renewal_reminder", &finished("skipped")).await;
        assert!(completed > 3 * skipped && skipped > 0, "{completed} completed, {skipped} skipped");
        // One current task per open renewal whose reminders have started: never two for one renewal.
        let stacked = app
            .count_where(
                "renewal_reminder",
                "status = 'due' AND renewal_id IN (SELECT renewal_id FROM renewal_reminder WHERE status = 'due' \
                 GROUP BY renewal_id HAVING COUNT(*) > 1)",
            )
            .await;
        assert_eq!(stacked, 0);
    }
}

