//! Store errors, classified once from each backend's codes.

/// Result alias for store calls.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What went wrong in the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row asked for does not exist (in this workspace).
    #[error("not found")]
    NotFound,
    /// A unique or foreign-key constraint refused the write.
    #[error("conflict on {constraint}")]
    Conflict {
        /// The constraint, as the database named it.
        constraint: String,
    },
    /// The database is locked or the transaction must be retried.
    #[error("database busy")]
    Busy(#[source] sqlx::Error),
    /// The database cannot be reached (connection refused, cut or closed).
    #[error("database unreachable")]
    Unavailable(#[source] sqlx::Error),
    /// The database URL or options are unusable.
    #[error("database configuration: {0}")]
    Config(String),
    /// A stored value could not be read back.
    #[error("corrupt stored value in {column}: {message}")]
    Corrupt {
        /// Which column.
        column: &'static str,
        /// Why.
        message: String,
    },
    /// Anything else from the driver.
    #[error("database error")]
    Other(#[source] sqlx::Error),
    /// A migration failed.
    #[error("migration failed")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    /// Whether trying again later may succeed: the database was busy or out of reach.
    pub fn is_transient(&self) -> bool {
        matches!(self, StoreError::Busy(_) | StoreError::Unavailable(_))
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() || db.is_foreign_key_violation() => {
                StoreError::Conflict { constraint: db.constraint().unwrap_or_else(|| db.message()).to_owned() }
            }
            sqlx::Error::Database(db) if crate::sqlite::is_busy(&**db) || crate::postgres::is_busy(&**db) => {
                StoreError::Busy(e)
            }
            sqlx::Error::PoolTimedOut => StoreError::Busy(e),
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::Protocol(_)
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => StoreError::Unavailable(e),
            _ => StoreError::Other(e),
        }
    }
}

/// Parses a JSON text column, naming the column when it is corrupt.
pub(crate) fn json_col<T: serde::de::DeserializeOwned>(column: &'static str, text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt { column, message: e.to_string() })
}

/// Prints a value for a JSON column, naming the column when it cannot be.
pub(crate) fn json_text(column: &'static str, value: &impl serde::Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt { column, message: e.to_string() })
}
