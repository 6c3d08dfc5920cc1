//! Where Keyward keeps its files. `KEYWARD_DATA_DIR` overrides the XDG data dir so tests,
//! `make demo` and a second profile each get their own.

use std::io::Write;
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

/// The folder a file goes in; a bare file name is in the current directory.
pub fn parent_dir(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Writes a file readable by its owner only, whole or not at all: the bytes go to a new file
/// beside it, created 0600 (so no other user can read them even for a moment), which then
/// replaces the file in one rename. A crash leaves the old file or the new one, never half.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path.file_name().ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "no file name"))?;
    let tmp = parent_dir(path).join(format!(".{}.{}.tmp", name.to_string_lossy(), uuid::Uuid::new_v4().simple()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = (|| {
        let mut file = options.open(&tmp)?;
        #[cfg(unix)]
        {
            // Exactly 0600, whatever the umask took from the mode above.
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_private_write_replaces_the_file_whole_and_leaves_nothing_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        std::fs::write(&path, "old and longer than the new contents").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        write_private(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        #[cfg(unix)]
        assert_eq!(mode(&path), 0o600, "the replacement is private even where the old file was not");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["out.csv"], "no temporary file is left");
    }

    #[test]
    fn a_failed_private_write_keeps_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write_private(&dir.path().join("missing").join("out.csv"), b"x").is_err());
        assert!(write_private(Path::new("/"), b"x").is_err(), "no file name");
        // A folder of that name cannot be replaced by a file.
        std::fs::create_dir(dir.path().join("taken")).unwrap();
        assert!(write_private(&dir.path().join("taken"), b"x").is_err());
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["taken"]);
    }

    #[test]
    fn a_bare_name_is_in_the_current_directory() {
        assert_eq!(parent_dir(Path::new("out.csv")), Path::new("."));
        assert_eq!(parent_dir(Path::new("/tmp/out.csv")), Path::new("/tmp"));
    }
}
