//! Whether a player's WebAssembly is a release build, read from its sections. Used by `build.rs`
//! (through `#[path]`), which refuses to embed a debug player in a release `parcours`, and
//! unit-tested here. A debug build (`trunk serve`, `make run`) keeps a `name` section of several
//! megabytes (4.8 MB of 12 MB here); a release build (`make dist`) has none.

/// The names of the module's custom sections, or why it is not a WebAssembly module.
pub fn custom_sections(wasm: &[u8]) -> Result<Vec<String>, String> {
    if wasm.len() < 8 || &wasm[..4] != b"\0asm" {
        return Err("not a WebAssembly module".to_owned());
    }
    let mut names = Vec::new();
    let mut at = 8;
    while at < wasm.len() {
        let id = wasm[at];
        let (size, body) = leb128(wasm, at + 1)?;
        let end = body.checked_add(size).filter(|&end| end <= wasm.len()).ok_or("a section runs past the end")?;
        if id == 0 {
            let (length, name) = leb128(wasm, body)?;
            let name_end =
                name.checked_add(length).filter(|&e| e <= end).ok_or("a section name runs past its section")?;
            names.push(String::from_utf8_lossy(&wasm[name..name_end]).into_owned());
        }
        at = end;
    }
    Ok(names)
}

/// Whether the module is a debug build: it carries the functions' names for debuggers.
pub fn is_debug_build(wasm: &[u8]) -> Result<bool, String> {
    Ok(custom_sections(wasm)?.iter().any(|name| name == "name" || name.starts_with(".debug_")))
}

/// An unsigned LEB128 number at `at`: its value and where what follows starts.
fn leb128(bytes: &[u8], mut at: usize) -> Result<(usize, usize), String> {
    let mut value: usize = 0;
    for shift in (0..35).step_by(7) {
        let byte = *bytes.get(at).ok_or("a number runs past the end")?;
        at += 1;
        value |= usize::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok((value, at));
        }
    }
    Err("a number is too long".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module with these custom sections (and one code section, id 10, of two bytes).
    fn module(custom: &[&str]) -> Vec<u8> {
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        for name in custom {
            let mut body = vec![name.len() as u8];
            body.extend_from_slice(name.as_bytes());
            body.extend_from_slice(b"xyz");
            wasm.push(0);
            wasm.push(body.len() as u8);
            wasm.extend(body);
        }
        wasm.extend([10, 2, 0, 0]);
        wasm
    }

    #[test]
    fn a_debug_player_is_told_from_a_release_one_by_its_sections() {
        let release = module(&["producers", "target_features"]);
        assert_eq!(custom_sections(&release).unwrap(), ["producers", "target_features"]);
        assert!(!is_debug_build(&release).unwrap());
        assert!(is_debug_build(&module(&["name", "producers"])).unwrap());
        assert!(is_debug_build(&module(&[".debug_info"])).unwrap());
        assert!(is_debug_build(b"<html>").is_err());
        let mut cut = release.clone();
        cut.truncate(cut.len() - 1);
        assert!(custom_sections(&cut).is_err(), "a section past the end is refused, not read");
    }
}
