//! Embeds the course: writes `$OUT_DIR/lessons.rs`, a list of every file
//! under `lessons/NN-slug/` with its bytes (`include_bytes!`), which
//! `engine::lesson` reads at run time. Files directly in `lessons/` (its
//! README) and hidden files are left out.

use std::path::{Path, PathBuf};

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') && name != ".keep" && name != ".env" {
            continue;
        }
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            if name == "__pycache__" {
                continue;
            }
            collect(root, &path, out);
        } else if kind.is_file() && dir != root {
            let relative = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            out.push((relative, path));
        }
    }
}

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest).join("lessons");
    println!("cargo:rerun-if-changed=lessons");
    println!("cargo:rerun-if-changed=build.rs");
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let mut code = String::from("/// Every lesson file, by its path inside `lessons/`.\npub const LESSON_FILES: &[(&str, &[u8])] = &[\n");
    for (relative, path) in &files {
        code.push_str(&format!("    ({relative:?}, include_bytes!({:?})),\n", path.to_string_lossy()));
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("lessons.rs");
    std::fs::write(out, code).expect("writing lessons.rs");
}
