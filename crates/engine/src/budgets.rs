//! The store's shared rate budgets as the providers' [`Budgets`]: on
//! PostgreSQL, every process using a credential spends one budget. (The
//! providers crate defines the trait and the engine, which depends on both
//! crates, joins it to the store, so neither of the two depends on the other.)

use async_trait::async_trait;
use hiresync_providers::http::{BudgetError, BudgetStep, Budgets};
use hiresync_store::{Backend, Store, rate_budgets};
use std::sync::Arc;

/// Rate budgets kept in the store's `rate_budgets` table.
#[derive(Clone, Debug)]
pub struct StoreBudgets {
    store: Store,
}

/// The budgets processes on `store` share: its table on PostgreSQL; none on SQLite, where one
/// process keeps its budgets in memory.
pub fn shared(store: &Store) -> Option<Arc<dyn Budgets>> {
    (store.backend() == Backend::Postgres).then(|| Arc::new(StoreBudgets { store: store.clone() }) as Arc<dyn Budgets>)
}

#[async_trait]
impl Budgets for StoreBudgets {
    async fn update(&self, key: &str, step: &mut BudgetStep<'_>) -> Result<(), BudgetError> {
        let mut db = self.store.db().await?;
        rate_budgets::update(&mut db, key, step).await?;
        Ok(())
    }
}
