//! `--open`: asks the desktop to open the preview in a browser. Optional and harmless:
//! where there is no desktop (a server, a container) it says so and carries on.

use std::process::{Command, Stdio};

/// Opens `url` in the default browser, without waiting for it.
pub fn open(url: &str) -> Result<(), String> {
    let mut command = if cfg!(target_os = "macos") {
        Command::new("open")
    } else if cfg!(windows) {
        let mut c = Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(|mut child| {
            // Reap it when it exits; its result does not matter.
            std::thread::spawn(move || child.wait());
        })
        .map_err(|e| format!("could not open a browser ({e}); open {url} yourself"))
}
