//! Connections stored before the upgrade to native PostgreSQL types still open.

use hiresync_core::WorkspaceId;
use hiresync_engine::Vault;
use hiresync_store::connections;
use hiresync_testkit::unmigrated_databases;
use secrecy::{ExposeSecret, SecretString};

#[tokio::test]
async fn credentials_sealed_by_release_15_open_after_the_upgrade() {
    let vault = Vault::from_bytes([9; 32]);
    let secret = r#"{"api_key":"gh-key-'quoted'"}"#;
    for db in unmigrated_databases().await.unwrap() {
        db.migrate_to(15).await.unwrap();
        let sealed = vault.seal("conn_old", &SecretString::from(secret.to_owned()));
        db.execute(&format!(
            "insert into workspaces (id, name, created_at) values ('ws_old', 'Old', 1712345678901);
             insert into connections (id, workspace_id, provider, sealed_credentials, key_id, status, created_at)
             values ('conn_old', 'ws_old', 'greenhouse', '{sealed}', '{}', 'connected', 1712345678901);",
            vault.key_id()
        ))
        .await
        .unwrap();
        db.store.migrate().await.unwrap();
        let mut c = db.store.db().await.unwrap();
        let conn = connections::get(&mut c, &WorkspaceId::from_stored("ws_old".into()), "conn_old").await.unwrap();
        assert_eq!((conn.sealed_credentials.as_str(), conn.key_id.as_str()), (sealed.as_str(), vault.key_id()));
        let opened = vault.open(conn.id.as_str(), &conn.key_id, &conn.sealed_credentials).unwrap();
        assert_eq!(opened.expose_secret(), secret, "{}", db.backend);
    }
}
