//! The desktop's notification service (org.freedesktop.Notifications on the session bus), for
//! the window's expiry notices and for `keyward notices raise`, which the notices timer runs
//! while the window is closed. Through the `dbus` crate the keychain already links: on Linux
//! neither the window nor the CLI carries a second D-Bus stack (the notification plugin's zbus
//! cost the window about 1.4 MB); elsewhere the window raises notices through Tauri's plugin.

#[cfg(target_os = "linux")]
pub use dbus_session::Notifier;
#[cfg(not(target_os = "linux"))]
pub use elsewhere::Notifier;

use crate::error::{Error, ErrorCode};

/// The name the window's notices go out under too, so the desktop groups them as one app's.
pub const APP_NAME: &str = "Keyward";

#[cfg(target_os = "linux")]
mod dbus_session {
    use std::time::Duration;

    use crate::error::Result;
    use dbus::arg::PropMap;
    use dbus::blocking::{Connection, Proxy};

    use super::{unavailable, APP_NAME};

    const SERVICE: &str = "org.freedesktop.Notifications";
    const PATH: &str = "/org/freedesktop/Notifications";
    const TIMEOUT: Duration = Duration::from_secs(5);
    /// The desktop entry the package installs, for the icon and the app's notification settings.
    const DESKTOP_ENTRY: &str = "Keyward";

    pub struct Notifier {
        conn: Connection,
    }

    impl Notifier {
        /// Connects and makes sure a notification service answers, before anything is marked raised:
        /// with none (no desktop session, a bare timer run), the notices stay owed for the window.
        pub fn connect() -> Result<Notifier> {
            let conn = Connection::new_session()
                .map_err(|e| unavailable(format!("There is no D-Bus session bus ({}).", e.message().unwrap_or("no address"))))?;
            let notifier = Notifier { conn };
            let _server: (String, String, String, String) = notifier
                .proxy()
                .method_call(SERVICE, "GetServerInformation", ())
                .map_err(|e| unavailable(format!("No notification service answers on the session bus ({}).", e.message().unwrap_or("no reply"))))?;
            Ok(notifier)
        }

        pub fn show(&self, summary: &str, body: &str) -> Result<u32> {
            let mut hints = PropMap::new();
            hints.insert("desktop-entry".into(), dbus::arg::Variant(Box::new(DESKTOP_ENTRY.to_string())));
            let actions: Vec<&str> = Vec::new();
            let (id,): (u32,) = self
                .proxy()
                .method_call(SERVICE, "Notify", (APP_NAME, 0u32, "dev.keyward.app", summary, body, actions, hints, -1i32))
                .map_err(|e| unavailable(format!("The notification service refused a notice ({}).", e.message().unwrap_or("no reply"))))?;
            Ok(id)
        }

        fn proxy(&self) -> Proxy<'_, &Connection> {
            self.conn.with_proxy(SERVICE, PATH, TIMEOUT)
        }
    }
}

/// Elsewhere the window raises the notices itself: the timer is a systemd (Linux) feature.
#[cfg(not(target_os = "linux"))]
mod elsewhere {
    use crate::error::Result;

    pub struct Notifier;

    impl Notifier {
        pub fn connect() -> Result<Notifier> {
            Err(super::unavailable("Raising notices from the command line needs a Linux desktop's notification service.".into()))
        }

        pub fn show(&self, _summary: &str, _body: &str) -> Result<u32> {
            Err(super::unavailable("No notification service here.".into()))
        }
    }
}

fn unavailable(message: String) -> Error {
    Error::new(ErrorCode::Internal, message)
}
