//! Precompressed copies of the bundle (Static Web Apps serves a `.br` beside its file) and the
//! gzip sizes the size budget is measured in.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use flate2::Compression;
use flate2::write::GzEncoder;

/// Files worth compressing: the bundle itself.
const BUNDLE_EXTENSIONS: [&str; 4] = ["html", "js", "wasm", "css"];

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("writing to memory");
    out
}

/// The html, js, wasm and css files directly in `dist`, sorted.
pub fn bundle_files(dist: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dist)
        .with_context(|| format!("reading {}", dist.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.extension()
                .and_then(|ext| ext.to_str())
                .is_some_and(|ext| BUNDLE_EXTENSIONS.contains(&ext))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Writes `name.br` and `name.gz` beside each js, wasm and css file (html stays uncompressed
/// so the host can serve it under the fallback without negotiating).
pub fn write_siblings(dist: &Path) -> Result<()> {
    for file in bundle_files(dist)? {
        if file.extension().is_some_and(|ext| ext == "html") {
            continue;
        }
        let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
        for (suffix, packed) in [("br", brotli(&bytes)), ("gz", gzip(&bytes))] {
            let mut name = file.clone().into_os_string();
            name.push(format!(".{suffix}"));
            std::fs::write(&name, packed).with_context(|| format!("writing {name:?}"))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(bytes), &mut out).unwrap();
        out
    }

    #[test]
    fn both_encodings_round_trip_and_shrink_repetitive_input() {
        let text = "keyless ".repeat(1000).into_bytes();
        let gz = gzip(&text);
        assert!(gz.len() < text.len() / 10);
        assert_eq!(gunzip(&gz), text);
        let br = brotli(&text);
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut back).unwrap();
        assert_eq!(back, text);
    }

    #[test]
    fn siblings_are_written_for_assets_but_not_html_or_json() {
        let dist = tempfile::tempdir().unwrap();
        for name in [
            "index.html",
            "app.js",
            "app_bg.wasm",
            "main.css",
            "config.json",
        ] {
            std::fs::write(dist.path().join(name), name.repeat(50)).unwrap();
        }
        write_siblings(dist.path()).unwrap();
        for name in ["app.js", "app_bg.wasm", "main.css"] {
            let gz = std::fs::read(dist.path().join(format!("{name}.gz"))).unwrap();
            assert_eq!(gunzip(&gz), name.repeat(50).into_bytes());
            assert!(dist.path().join(format!("{name}.br")).is_file());
        }
        assert!(!dist.path().join("index.html.gz").exists());
        assert!(!dist.path().join("config.json.br").exists());
        let bundle = bundle_files(dist.path()).unwrap();
        assert_eq!(bundle.len(), 4, "{bundle:?}");
    }
}
