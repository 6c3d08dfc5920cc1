//! Where Keyward keeps its files. `KEYWARD_DATA_DIR` overrides the XDG data dir so tests,
//! `make demo` and a second profile each get their own.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub const DATA_DIR_ENV: &str = "KEYWARD_DATA_DIR";

pub fn default_data_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("dev", "keyward", "keyward")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| Error::storage("find a home directory", "no HOME is set"))
}

/// Creates the data dir readable by its owner only: the inventory is private even without secrets.
pub fn ensure_private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::storage(&format!("create {}", dir.display()), e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| Error::storage(&format!("protect {}", dir.display()), e))?;
    }
    Ok(())
}

pub fn restrict_file(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if path.exists() {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| Error::storage(&format!("protect {}", path.display()), e))?;
        }
    }
    Ok(())
}
