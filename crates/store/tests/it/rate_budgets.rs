//! Shared rate budgets: concurrent writers never lose one another's steps.

use hiresync_store::{Backend, StoreError, rate_budgets};
use hiresync_testkit::databases;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_steps_on_one_budget_all_land() {
    for db in databases().await.unwrap() {
        let mut c = db.store.db().await.unwrap();
        let result = rate_budgets::update(&mut c, "greenhouse:fp", &mut |_, _| "0".into()).await;
        if db.store.backend() == Backend::Sqlite {
            assert!(matches!(result, Err(StoreError::Config(_))), "SQLite keeps budgets in memory");
            continue;
        }
        result.unwrap();
        let writers: Vec<_> = (0..4)
            .map(|_| {
                let store = db.store.clone();
                tokio::spawn(async move {
                    let mut c = store.db().await.unwrap();
                    let mut clock = Vec::new();
                    for _ in 0..50 {
                        let mut step = |stored: Option<&str>, now: i64| {
                            clock.push(now);
                            (stored.unwrap().parse::<u64>().unwrap() + 1).to_string()
                        };
                        rate_budgets::update(&mut c, "greenhouse:fp", &mut step).await.unwrap();
                    }
                    clock
                })
            })
            .collect();
        for w in writers {
            let clock = w.await.unwrap();
            assert!(clock.windows(2).all(|w| w[0] <= w[1]), "the database's clock runs forward");
        }
        let mut seen = None;
        rate_budgets::update(&mut c, "greenhouse:fp", &mut |stored, _| {
            seen = stored.map(str::to_owned);
            stored.unwrap_or_default().to_owned()
        })
        .await
        .unwrap();
        assert_eq!(seen.as_deref(), Some("200"), "no step lost to another writer");
        assert_eq!(rate_budgets::prune(&mut c, hiresync_store::now_ms() - rate_budgets::IDLE_MS).await.unwrap(), 0);
        assert_eq!(rate_budgets::prune(&mut c, hiresync_store::now_ms() + 1000).await.unwrap(), 1);
    }
}
