//! The workspace kept in the browser's IndexedDB (any file, any size up to the quota), across
//! reloads, restarts and new deploys; the file the editor shows (local storage); and how much
//! of the browser's storage the site uses.

use crate::logic::workspace::WorkspaceFile;
use crate::page::storage::{self, Area};
use idb::{Database, DatabaseEvent, Factory, ObjectStoreParams, TransactionMode};
use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};

const DATABASE: &str = "py-repl-web";
const FILES: &str = "files";

/// Why the browser did not keep the workspace.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No IndexedDB here, or it refused (a private window, a third-party frame, the quota).
    #[error("this browser does not keep the files ({0})")]
    Refused(String),
}

impl From<idb::Error> for StoreError {
    fn from(error: idb::Error) -> Self {
        Self::Refused(error.to_string())
    }
}

/// Waits until a read-only `transaction` has finished, so that no read holds up a save.
async fn finished(transaction: idb::Transaction) -> Result<(), StoreError> {
    transaction.await?;
    Ok(())
}

/// The open workspace database.
pub struct WorkspaceStore {
    database: Database,
}

impl WorkspaceStore {
    /// Opens (on first use, creates) the database.
    pub async fn open() -> Result<Self, StoreError> {
        let mut request = Factory::new()?.open(DATABASE, Some(1))?;
        request.on_upgrade_needed(|event| {
            if let Ok(database) = event.database() {
                // Keys are file names; values the files' bytes.
                let _ = database.create_object_store(FILES, ObjectStoreParams::new());
            }
        });
        Ok(Self { database: request.await? })
    }

    /// Every file kept.
    pub async fn load(&self) -> Result<Vec<WorkspaceFile>, StoreError> {
        let transaction = self.database.transaction(&[FILES], TransactionMode::ReadOnly)?;
        let store = transaction.object_store(FILES)?;
        let names = store.get_all_keys(None, None)?.await?;
        let values = store.get_all(None, None)?.await?;
        finished(transaction).await?;
        Ok(names
            .into_iter()
            .zip(values)
            .filter_map(|(name, value)| {
                let bytes = value.dyn_into::<Uint8Array>().ok()?.to_vec();
                Some(WorkspaceFile { name: name.as_string()?, bytes })
            })
            .collect())
    }

    /// Forgets every file and keeps `files` instead, all or nothing (a reset).
    pub async fn replace_all(&self, files: &[WorkspaceFile]) -> Result<(), StoreError> {
        let transaction = self.database.transaction(&[FILES], TransactionMode::ReadWrite)?;
        let store = transaction.object_store(FILES)?;
        store.clear()?.await?;
        for file in files {
            let bytes: JsValue = Uint8Array::from(file.bytes.as_slice()).into();
            store.put(&bytes, Some(&JsValue::from_str(&file.name)))?.await?;
        }
        transaction.await?;
        Ok(())
    }

    /// Writes `files` and removes `removed`, all or nothing.
    pub async fn save(&self, files: &[WorkspaceFile], removed: &[String]) -> Result<(), StoreError> {
        let transaction = self.database.transaction(&[FILES], TransactionMode::ReadWrite)?;
        let store = transaction.object_store(FILES)?;
        for file in files {
            let bytes: JsValue = Uint8Array::from(file.bytes.as_slice()).into();
            store.put(&bytes, Some(&JsValue::from_str(&file.name)))?.await?;
        }
        for name in removed {
            store.delete(JsValue::from_str(name))?.await?;
        }
        transaction.await?;
        Ok(())
    }
}

impl Drop for WorkspaceStore {
    fn drop(&mut self) {
        // An open connection would hold up a later version's upgrade of the database.
        self.database.close();
    }
}

const CURRENT_KEY: &str = "py-repl-web.current-file";

/// How much of the browser's storage this site uses, and may use, in bytes (an estimate the
/// browser gives; `None` where it gives none).
pub async fn usage() -> Option<(f64, f64)> {
    let manager = gloo::utils::window().navigator().storage();
    let estimate = wasm_bindgen_futures::JsFuture::from(manager.estimate().ok()?).await.ok()?;
    let estimate: web_sys::StorageEstimate = estimate.unchecked_into();
    Some((estimate.get_usage()?, estimate.get_quota()?))
}

/// The file the editor showed last time.
pub fn current_file() -> Option<String> {
    storage::get(Area::Local, CURRENT_KEY)
}

/// Remembers the file the editor shows.
pub fn set_current_file(name: &str) {
    storage::set(Area::Local, CURRENT_KEY, name);
}
