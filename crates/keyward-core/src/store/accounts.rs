//! Accounts: service, label, host and sync state. The token is in the keychain, never here.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};

use super::Store;
use crate::error::{Error, ErrorCode, Result};
use crate::model::{Account, Service};

const SELECT: &str = "SELECT a.id, a.service, a.label, a.host, a.org_name, a.identity, a.created_at,
        a.last_synced_at, a.last_sync_error_code, a.last_sync_error_message,
        (SELECT COUNT(*) FROM keys k WHERE k.account_id = a.id AND k.status != 'gone')
    FROM accounts a";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Account> {
    let service: String = row.get(1)?;
    let code: Option<String> = row.get(8)?;
    let message: Option<String> = row.get(9)?;
    Ok(Account {
        id: row.get(0)?,
        service: Service::parse(&service).ok_or_else(|| bad_value(1, "service", &service))?,
        label: row.get(2)?,
        host: row.get(3)?,
        org_name: row.get(4)?,
        identity: row.get(5)?,
        created_at: row.get(6)?,
        last_synced_at: row.get(7)?,
        last_sync_error: code.map(|c| Error {
            code: ErrorCode::parse(&c).unwrap_or(ErrorCode::Internal),
            message: message.unwrap_or_default(),
            field: None,
            key_id: None,
        }),
        key_count: row.get(10)?,
    })
}

pub(super) fn bad_value(col: usize, name: &str, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(col, rusqlite::types::Type::Text, format!("unknown {name} '{value}'").into())
}

impl Store {
    pub fn insert_account(&self, a: &Account) -> Result<()> {
        self.conn().execute(
            "INSERT INTO accounts (id, service, label, host, org_name, identity, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![a.id, a.service.as_str(), a.label, a.host, a.org_name, a.identity, a.created_at],
        )?;
        self.export_accounts();
        Ok(())
    }

    /// Saves an account's label, host, organization and identity.
    pub fn update_account(&self, a: &Account) -> Result<()> {
        let n = self.conn().execute(
            "UPDATE accounts SET label = ?2, host = ?3, org_name = ?4, identity = ?5 WHERE id = ?1",
            params![a.id, a.label, a.host, a.org_name, a.identity],
        )?;
        if n == 0 {
            return Err(Error::not_found(format!("No account with id '{}' is stored here.", a.id)));
        }
        self.export_accounts();
        Ok(())
    }

    pub fn list_accounts(&self) -> Result<Vec<Account>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY a.created_at, a.id"))?;
        let rows = stmt.query_map([], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn get_account(&self, id: &str) -> Result<Account> {
        self.conn()
            .query_row(&format!("{SELECT} WHERE a.id = ?1"), [id], from_row)
            .optional()?
            .ok_or_else(|| Error::not_found(format!("No account with id '{id}' is stored here.")))
    }

    /// Removes the account and, through the foreign key, every cached key of it.
    pub fn delete_account(&self, id: &str) -> Result<()> {
        let n = self.conn().execute("DELETE FROM accounts WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(Error::not_found(format!("No account with id '{id}' is stored here.")));
        }
        self.export_accounts();
        Ok(())
    }

    /// Remembers why a sync failed, so the next start can say so even before it syncs.
    pub fn record_sync_error(&self, id: &str, err: &Error) -> Result<()> {
        self.conn().execute(
            "UPDATE accounts SET last_sync_error_code = ?2, last_sync_error_message = ?3 WHERE id = ?1",
            params![id, err.code.as_str(), err.message],
        )?;
        Ok(())
    }

    pub(super) fn mark_synced(tx: &rusqlite::Transaction<'_>, id: &str, at: DateTime<Utc>) -> Result<()> {
        tx.execute(
            "UPDATE accounts SET last_synced_at = ?2, last_sync_error_code = NULL,
                 last_sync_error_message = NULL WHERE id = ?1",
            params![id, at],
        )?;
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn sample(id: &str) -> Account {
        Account {
            id: id.into(),
            service: Service::Braintrust,
            label: format!("label {id}"),
            host: "https://api.braintrust.dev".into(),
            org_name: None,
            identity: Some("org".into()),
            created_at: Utc::now(),
            last_synced_at: None,
            last_sync_error: None,
            key_count: 0,
        }
    }

    #[test]
    fn insert_list_get_delete() {
        let store = Store::in_memory().unwrap();
        store.insert_account(&sample("a")).unwrap();
        store.insert_account(&sample("b")).unwrap();
        assert_eq!(store.list_accounts().unwrap().len(), 2);
        assert_eq!(store.get_account("a").unwrap().label, "label a");
        store.delete_account("a").unwrap();
        assert_eq!(store.get_account("a").unwrap_err().code, ErrorCode::NotFound);
        assert_eq!(store.delete_account("a").unwrap_err().code, ErrorCode::NotFound);
    }

    #[test]
    fn sync_error_is_remembered() {
        let store = Store::in_memory().unwrap();
        store.insert_account(&sample("a")).unwrap();
        store.record_sync_error("a", &Error::new(ErrorCode::Network, "offline")).unwrap();
        let err = store.get_account("a").unwrap().last_sync_error.unwrap();
        assert_eq!((err.code, err.message.as_str()), (ErrorCode::Network, "offline"));
    }

    #[test]
    fn duplicate_id_is_a_storage_error_not_a_panic() {
        let store = Store::in_memory().unwrap();
        store.insert_account(&sample("a")).unwrap();
        assert_eq!(store.insert_account(&sample("a")).unwrap_err().code, ErrorCode::Storage);
    }
}
