//! What the process settles with the machine before the window is made: how WebKit composites
//! (on the GPU, or in software where there is no GPU) and whether the kernel backs the app's
//! memory with transparent huge pages. Decided once, at the top of `main`, before any thread.

use std::path::Path;

/// WebKitGTK's switch for compositing in software; the person's own setting always wins.
const COMPOSITING_VARIABLE: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// What [`prepare`] chose, logged once logging is up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prepared {
    /// No GPU render node: WebKit composites in software (its CPU path), instead of emulating
    /// a GPU on the CPU.
    pub software_compositing: bool,
    /// The kernel was asked not to back this process's memory with transparent huge pages.
    pub huge_pages_off: bool,
}

/// Whether WebKit should composite in software: only when the person has not chosen either
/// way, and no GPU render node (`/dev/dri/renderD*`) exists. Without one (a virtual machine, a
/// remote desktop, a CI runner) Mesa emulates the GPU on the CPU (llvmpipe): the same frames
/// cost more processor time and memory than WebKit's own software path.
pub fn software_compositing<S: AsRef<str>>(
    chosen: bool,
    device_nodes: impl IntoIterator<Item = S>,
) -> bool {
    !chosen
        && !device_nodes
            .into_iter()
            .any(|name| name.as_ref().starts_with("renderD"))
}

/// The names in `/dev/dri` (none when it does not exist).
fn device_nodes(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Settles the process with the machine. Call first in `main`, while it is the only thread:
/// it sets an environment variable that WebKit reads when its processes start.
pub fn prepare() -> Prepared {
    // WebKitGTK's question only: macOS and Windows web views composite as their systems do.
    let software = cfg!(target_os = "linux")
        && software_compositing(
            std::env::var_os(COMPOSITING_VARIABLE).is_some(),
            device_nodes(Path::new("/dev/dri")),
        );
    if software {
        std::env::set_var(COMPOSITING_VARIABLE, "1");
    }
    Prepared {
        software_compositing: software,
        huge_pages_off: huge_pages_off(),
    }
}

/// Reading a large repository allocates hundreds of megabytes in short-lived pieces; with
/// transparent huge pages (the allocator asks for them) every fresh 2 MiB region is zeroed
/// whole on first touch, which took longer than the read itself (docs/measurements.md).
#[cfg(target_os = "linux")]
fn huge_pages_off() -> bool {
    rustix::thread::disable_transparent_huge_pages(true).is_ok()
}

#[cfg(not(target_os = "linux"))]
fn huge_pages_off() -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composites_in_software_only_without_a_render_node_and_without_a_choice() {
        let none: [&str; 0] = [];
        assert!(software_compositing(false, none));
        // A card without a render node (an old driver, a display-only device) is no GPU to
        // composite on.
        assert!(software_compositing(false, ["card0", "by-path"]));
        assert!(!software_compositing(false, ["card0", "renderD128"]));
        // The person chose (either value): left alone.
        assert!(!software_compositing(true, none));
        assert!(!software_compositing(true, ["renderD128"]));
    }

    #[test]
    fn lists_the_device_folder_and_nothing_when_it_is_missing() {
        let dir = tempfile::tempdir().unwrap();
        assert!(device_nodes(&dir.path().join("missing")).is_empty());
        std::fs::write(dir.path().join("renderD128"), "").unwrap();
        std::fs::write(dir.path().join("card0"), "").unwrap();
        let mut names = device_nodes(dir.path());
        names.sort();
        assert_eq!(names, ["card0", "renderD128"]);
        assert!(!software_compositing(false, names));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_kernel_is_asked_to_leave_huge_pages_off() {
        // Inherited by every thread and child of the test process; harmless there.
        assert!(huge_pages_off());
        assert!(rustix::thread::transparent_huge_pages_are_disabled().unwrap());
    }
}
