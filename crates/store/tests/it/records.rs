use hiresync_core::{Role, WorkspaceId};
use hiresync_store::{StoreError, connections, workspaces};
use hiresync_testkit::databases;

#[tokio::test]
async fn users_are_found_by_token_hash_and_emails_are_unique_per_workspace() {
    for db in databases().await.unwrap() {
        let mut c = db.store.db().await.unwrap();
        let ws = workspaces::create_workspace(&mut c, "Acme").await.unwrap();
        let u = workspaces::create_user(&mut c, &ws, "a@acme.io", Role::Owner, &[], "h1").await.unwrap();
        assert_eq!(workspaces::user_by_token_hash(&mut c, "h1").await.unwrap(), Some(u.clone()));
        assert!(workspaces::user_by_token_hash(&mut c, "h2").await.unwrap().is_none());
        let dup = workspaces::create_user(&mut c, &ws, "a@acme.io", Role::Member, &[], "h3").await;
        assert!(matches!(dup, Err(StoreError::Conflict { .. })), "{}: {dup:?}", db.backend);
        let other = workspaces::create_workspace(&mut c, "Other").await.unwrap();
        assert!(workspaces::find_user(&mut c, &other, u.id.as_str()).await.is_err());
    }
}

#[tokio::test]
async fn connections_are_scoped_by_workspace() {
    for db in databases().await.unwrap() {
        let mut c = db.store.db().await.unwrap();
        let ws = workspaces::create_workspace(&mut c, "Acme").await.unwrap();
        let other = workspaces::create_workspace(&mut c, "Other").await.unwrap();
        let conn = crate::connection(&ws, hiresync_core::ProviderKind::Greenhouse);
        connections::insert(&mut c, &conn).await.unwrap();
        assert_eq!(connections::get(&mut c, &ws, conn.id.as_str()).await.unwrap(), conn);
        assert!(matches!(connections::get(&mut c, &other, conn.id.as_str()).await, Err(StoreError::NotFound)));
        assert!(connections::delete(&mut c, &other, conn.id.as_str()).await.is_err());
        connections::delete(&mut c, &ws, conn.id.as_str()).await.unwrap();
        assert!(connections::list(&mut c, &ws).await.unwrap().is_empty(), "{}", db.backend);
        let _: WorkspaceId = other;
    }
}

#[tokio::test]
async fn webhook_deliveries_are_deduplicated() {
    use hiresync_store::webhooks::{self, Delivery};
    for db in databases().await.unwrap() {
        let mut c = db.store.db().await.unwrap();
        let ws = workspaces::create_workspace(&mut c, "Acme").await.unwrap();
        let conn = crate::connection(&ws, hiresync_core::ProviderKind::Oneflow);
        connections::insert(&mut c, &conn).await.unwrap();
        let delivery = |key: &'static str| Delivery {
            connection_id: conn.id.as_str(),
            key,
            workspace_id: ws.as_str(),
            provider: "oneflow",
        };
        assert!(webhooks::record(&mut c, &delivery("one")).await.unwrap());
        assert!(!webhooks::record(&mut c, &delivery("one")).await.unwrap(), "{}: a replay is recognised", db.backend);
        assert!(webhooks::record(&mut c, &delivery("two")).await.unwrap());
        assert_eq!(webhooks::count(&mut c, conn.id.as_str()).await.unwrap(), 2, "{}", db.backend);
    }
}

#[tokio::test]
async fn sealed_credentials_are_listed_in_batches_and_replaced_only_while_unchanged() {
    use connections::SealedCredentials;
    for db in databases().await.unwrap() {
        let mut c = db.store.db().await.unwrap();
        let ws = workspaces::create_workspace(&mut c, "Acme").await.unwrap();
        let mut made = Vec::new();
        for _ in 0..3 {
            let conn = crate::connection(&ws, hiresync_core::ProviderKind::Greenhouse);
            connections::insert(&mut c, &conn).await.unwrap();
            made.push(SealedCredentials::from(&conn));
        }
        made.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
        connections::delete(&mut c, &ws, made[2].id.as_str()).await.unwrap();
        let first = connections::sealed_after(&mut c, "", 1).await.unwrap();
        let rest = connections::sealed_after(&mut c, first[0].id.as_str(), 10).await.unwrap();
        assert_eq!([first, rest].concat(), made[..2], "{}: live ones, by id", db.backend);

        let was = made[0].clone();
        assert!(connections::replace_sealed(&mut c, &was, "k2", "resealed").await.unwrap());
        let now = connections::find(&mut c, was.id.as_str()).await.unwrap();
        assert_eq!((now.key_id.as_str(), now.sealed_credentials.as_str()), ("k2", "resealed"));
        // Read before that change: it no longer matches, so it does not overwrite it.
        assert!(!connections::replace_sealed(&mut c, &was, "k3", "stale").await.unwrap(), "{}", db.backend);
        assert_eq!(connections::find(&mut c, was.id.as_str()).await.unwrap().key_id, "k2");
        let deleted = SealedCredentials { sealed: String::new(), ..made[2].clone() };
        assert!(!connections::replace_sealed(&mut c, &deleted, "k2", "x").await.unwrap(), "{}", db.backend);
    }
}
