//! Where an export goes is asked of the person in a save dialog that Rust opens. The page names
//! no path: if it could, a script in it could overwrite any `.csv` or `.json` the person can write.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

use keyward_core::ops::export::ExportFormat;
use tauri::{Manager, Runtime, Window};

/// What the dialog asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveAsk {
    /// The journeys find the dialog by its title, so it stays as the window used to set it.
    pub title: &'static str,
    pub file_name: String,
    pub format: ExportFormat,
}

impl SaveAsk {
    pub fn inventory(format: ExportFormat) -> SaveAsk {
        SaveAsk { title: "Export the inventory", file_name: file_name("keys", format), format }
    }

    pub fn audit_log() -> SaveAsk {
        SaveAsk { title: "Export the audit log", file_name: file_name("audit", ExportFormat::Csv), format: ExportFormat::Csv }
    }
}

/// `keyward-audit-2026-11-25.csv`: what it holds and the day it was taken, in the person's own
/// time zone (the day on their calendar, not UTC's).
fn file_name(what: &str, format: ExportFormat) -> String {
    format!("keyward-{what}-{}.{}", chrono::Local::now().format("%Y-%m-%d"), format.as_str())
}

pub type Chosen = Pin<Box<dyn Future<Output = Option<PathBuf>> + Send>>;

/// Chooses the file an export is written to; `None` when the person cancelled.
pub trait ChooseSavePath: Send + Sync {
    fn choose(&self, ask: SaveAsk) -> Chosen;
}

/// Stands in for the dialog where none can be shown (`tauri::test`'s mock runtime); managed by
/// the shell's tests only, so a person always gets the real dialog.
pub struct SavePathChooser(pub Arc<dyn ChooseSavePath>);

/// The file the person chose for `ask`, over `window`.
pub async fn choose<R: Runtime>(window: &Window<R>, ask: SaveAsk) -> Option<PathBuf> {
    let stand_in = window.try_state::<SavePathChooser>().map(|c| c.0.clone());
    match stand_in {
        Some(chooser) => chooser.choose(ask).await,
        None => native(window, ask).await,
    }
}

async fn native<R: Runtime>(window: &Window<R>, ask: SaveAsk) -> Option<PathBuf> {
    use tauri_plugin_dialog::DialogExt;
    let filter = match ask.format {
        ExportFormat::Csv => "CSV (spreadsheet)",
        ExportFormat::Json => "JSON",
    };
    let (sent, chosen) = tokio::sync::oneshot::channel();
    // The callback form: the dialog runs on the main thread, and no runtime thread waits on it.
    window.dialog().file().set_parent(window).set_title(ask.title).set_file_name(ask.file_name).add_filter(filter, &[ask.format.as_str()]).save_file(
        move |path| {
            let _ = sent.send(path);
        },
    );
    // A `file://` answer that is not a local path cannot be written to; treated as no choice.
    chosen.await.ok().flatten().and_then(|p| p.into_path().ok())
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::VecDeque;
    use std::sync::Mutex;

    use super::*;

    /// Answers each ask with the next queued path (`None`: the person cancelled) and keeps what
    /// was asked.
    #[derive(Default)]
    pub(crate) struct FakeChooser {
        answers: Mutex<VecDeque<Option<PathBuf>>>,
        pub asked: Mutex<Vec<SaveAsk>>,
    }

    impl FakeChooser {
        pub(crate) fn answer(&self, path: Option<PathBuf>) {
            self.answers.lock().unwrap().push_back(path);
        }

        pub(crate) fn asked(&self) -> Vec<SaveAsk> {
            self.asked.lock().unwrap().clone()
        }
    }

    impl ChooseSavePath for FakeChooser {
        fn choose(&self, ask: SaveAsk) -> Chosen {
            self.asked.lock().unwrap().push(ask);
            let answer = self.answers.lock().unwrap().pop_front().flatten();
            Box::pin(async move { answer })
        }
    }

    #[test]
    fn the_dialog_offers_a_dated_name_of_the_right_kind() {
        let today = chrono::Local::now().format("%Y-%m-%d").to_string();
        let keys = SaveAsk::inventory(ExportFormat::Json);
        assert_eq!((keys.title, keys.file_name.as_str()), ("Export the inventory", format!("keyward-keys-{today}.json").as_str()));
        let audit = SaveAsk::audit_log();
        assert_eq!(
            (audit.title, audit.file_name.as_str(), audit.format),
            ("Export the audit log", format!("keyward-audit-{today}.csv").as_str(), ExportFormat::Csv)
        );
    }
}
