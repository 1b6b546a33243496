//! Reading and writing the files the commands take and make.

use std::io::{Read, Write};
use std::path::Path;

use ezla::{Error, Result};

/// The largest input file read: certificates and key stores are a few kilobytes, e-ZLA
/// documents a few, signed batches and SOAP responses far less than this.
pub(crate) const MAX_INPUT: u64 = 16 << 20;

/// The largest content read whole (signed with an attached CMS signature, verified, or an
/// attached signature itself): a scanned PDF printout is a few megabytes. Larger files are
/// signed detached, from a reader, in bounded memory.
pub(crate) const MAX_CONTENT: u64 = 256 << 20;

/// Reads a file, or standard input for `-`, of at most [`MAX_CONTENT`] bytes.
pub(crate) fn read_content(path: &Path) -> Result<Vec<u8>> {
    let limit = MAX_CONTENT;
    let too_large = |path: &Path| {
        Error::invalid_argument(
            "file",
            format!(
                "{} is larger than {limit} bytes (sign such a file with --detached)",
                path.display()
            ),
        )
    };
    let mut data = Vec::new();
    let read = if path == Path::new("-") {
        std::io::stdin()
            .lock()
            .take(limit + 1)
            .read_to_end(&mut data)
    } else {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        file.take(limit + 1).read_to_end(&mut data)
    };
    read.map_err(|e| Error::io(path, e))?;
    if data.len() as u64 > limit {
        return Err(too_large(path));
    }
    Ok(data)
}

/// Reads a whole file of at most [`MAX_INPUT`] bytes.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    read_capped(file, path)
}

/// Reads a file, or standard input for `-`, of at most [`MAX_INPUT`] bytes.
pub(crate) fn read_input(path: &Path) -> Result<Vec<u8>> {
    if path == Path::new("-") {
        read_capped(std::io::stdin().lock(), path)
    } else {
        read_file(path)
    }
}

fn read_capped(reader: impl Read, path: &Path) -> Result<Vec<u8>> {
    let mut data = Vec::new();
    reader
        .take(MAX_INPUT + 1)
        .read_to_end(&mut data)
        .map_err(|e| Error::io(path, e))?;
    if data.len() as u64 > MAX_INPUT {
        return Err(Error::invalid_argument(
            "file",
            format!("{} is larger than {MAX_INPUT} bytes", path.display()),
        ));
    }
    Ok(data)
}

/// Writes a file, refusing to overwrite unless `force`; `secret` files get mode 0600.
pub(crate) fn write_file(path: &Path, data: &[u8], force: bool, secret: bool) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    #[cfg(unix)]
    if secret {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = secret;
    let mut file = options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Error::invalid_argument(
                "output",
                format!("{} exists (use --force to overwrite)", path.display()),
            )
        } else {
            Error::io(path, e)
        }
    })?;
    file.write_all(data).map_err(|e| Error::io(path, e))
}

/// Replaces `path` atomically: writes a temporary file in the same directory, flushes it to
/// disk, then renames it over `path`, so that a reader (Prometheus' textfile collector, say)
/// sees the old contents or the new, never a part. The temporary name starts with a dot and
/// does not end in `.prom`, so the collector never reads it.
pub(crate) fn write_atomically(path: &Path, data: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path.file_name().ok_or_else(|| {
        Error::invalid_argument("--out", format!("{} is not a file name", path.display()))
    })?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = dir.join(tmp_name);
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)?;
        file.write_all(data)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    written.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}
