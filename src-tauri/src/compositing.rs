//! Where WebKitGTK finds no GPU (a VM, a remote desktop, a CI machine under Xvfb), its compositor
//! still draws the window through GL, and GL there is Mesa's software rasteriser, which compiles a
//! shader for each kind of drawing while the window first paints. Painting without the compositor
//! does the same drawing on the CPU straight away: measured with 10,000 keys under Xvfb, the
//! window is ready about 100 ms sooner and its web process holds about 100 MiB less (the README's
//! performance notes). With a GPU nothing changes. A value a person gave the variable (`0` keeps
//! the compositor) is theirs, and stays as it is.
// Only Linux asks the question; elsewhere the rule is compiled for its tests alone.
#![cfg_attr(not(target_os = "linux"), allow(dead_code))]

use std::ffi::OsStr;
use std::path::Path;

/// WebKitGTK's own switch, read by the UI process and inherited by its web process.
pub(crate) const VARIABLE: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Whether `dev` (the machine's /dev) shows a GPU WebKit could draw with: a DRM render node, or the
/// device NVIDIA's own driver makes. A display-only DRM device (`card0` alone, as simpledrm has)
/// draws nothing itself.
fn has_gpu(dev: &Path) -> bool {
    let any_named =
        |dir: &Path, pick: fn(&str) -> bool| std::fs::read_dir(dir).into_iter().flatten().flatten().any(|e| pick(&e.file_name().to_string_lossy()));
    any_named(&dev.join("dri"), |n| n.starts_with("renderD"))
        || any_named(dev, |n| n.strip_prefix("nvidia").is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())))
}

/// Whether Keyward should turn the compositor off: nobody chose (`chosen` is the variable as the
/// process was started with it) and there is no GPU.
pub(crate) fn should_turn_off(dev: &Path, chosen: Option<&OsStr>) -> bool {
    chosen.is_none() && !has_gpu(dev)
}

/// Sets the variable where `should_turn_off` says so; true when it did. Before GTK starts, and
/// before any thread does: nothing else may read the environment while it is written.
#[cfg(target_os = "linux")]
pub(crate) fn choose() -> bool {
    let off = should_turn_off(Path::new("/dev"), std::env::var_os(VARIABLE).as_deref());
    if off {
        std::env::set_var(VARIABLE, "1");
    }
    off
}

/// Elsewhere WebKit is not WebKitGTK, and the variable means nothing.
#[cfg(not(target_os = "linux"))]
pub(crate) fn choose() -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn dev(entries: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for entry in entries {
            let path = dir.path().join(entry);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "").unwrap();
        }
        dir
    }

    #[test]
    fn no_gpu_turns_the_compositor_off() {
        assert!(should_turn_off(dev(&[]).path(), None));
        assert!(should_turn_off(dev(&["null", "tty0"]).path(), None));
    }

    #[test]
    fn a_display_only_drm_device_is_no_gpu() {
        assert!(should_turn_off(dev(&["dri/card0"]).path(), None));
    }

    #[test]
    fn a_render_node_keeps_the_compositor() {
        assert!(!should_turn_off(dev(&["dri/card0", "dri/renderD128"]).path(), None));
        assert!(!should_turn_off(dev(&["dri/renderD129"]).path(), None));
    }

    #[test]
    fn nvidias_device_keeps_the_compositor_but_its_control_nodes_alone_do_not() {
        assert!(!should_turn_off(dev(&["nvidia0", "nvidiactl"]).path(), None));
        assert!(should_turn_off(dev(&["nvidiactl", "nvidia-modeset", "nvidia-uvm"]).path(), None));
    }

    #[test]
    fn a_persons_choice_is_left_as_it_is() {
        for value in ["0", "1", ""] {
            assert!(!should_turn_off(dev(&[]).path(), Some(OsStr::new(value))), "{value:?}");
        }
    }

    #[test]
    fn an_unreadable_dev_counts_as_no_gpu() {
        let missing = tempfile::tempdir().unwrap().path().join("gone");
        assert!(should_turn_off(&missing, None));
    }
}
