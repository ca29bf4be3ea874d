//! `parcours self-check`: whether this machine can preview and build courses, in plain words, for
//! an author who installed `parcours` with pip, npm or a download and wants to know it works.

use crate::player::Player;
use std::net::TcpListener;
use std::path::Path;

/// One check: what it found, and whether the author can go on without it.
struct Finding {
    ok: bool,
    /// A missing browser does not stop anything: preview prints its address.
    essential: bool,
    text: String,
}

fn player_embedded() -> Finding {
    match Player::Site.require().and_then(|()| Player::Lms.require()) {
        Ok(()) => Finding {
            ok: true,
            essential: true,
            text: format!(
                "the player is inside this program (build {}), with the LMS package's",
                env!("PARCOURS_PLAYER_BUILD")
            ),
        },
        Err(why) => Finding { ok: false, essential: true, text: why },
    }
}

fn can_listen() -> Finding {
    match TcpListener::bind(("127.0.0.1", 0)).and_then(|listener| listener.local_addr()) {
        Ok(address) => Finding {
            ok: true,
            essential: true,
            text: format!("`parcours preview` can serve on this machine (port {} was free just now)", address.port()),
        },
        Err(error) => Finding {
            ok: false,
            essential: true,
            text: format!(
                "`parcours preview` cannot open a port on 127.0.0.1 ({error}): a firewall or a security policy blocks it"
            ),
        },
    }
}

fn browser() -> Finding {
    let opener = super::opener::name();
    if super::opener::available() {
        Finding {
            ok: true,
            essential: false,
            text: format!("`parcours preview --open` can open your browser ({opener})"),
        }
    } else {
        Finding {
            ok: false,
            essential: false,
            text: format!(
                "no `{opener}` to open a browser: `parcours preview` still works, open the address it prints yourself"
            ),
        }
    }
}

fn writable(dir: &Path) -> Finding {
    let probe = dir.join(format!(".parcours-self-check-{}", std::process::id()));
    match std::fs::write(&probe, b"") {
        Ok(()) => {
            let _ = std::fs::remove_file(&probe);
            Finding {
                ok: true,
                essential: true,
                text: format!("`parcours new` and `build` can write in this folder ({})", dir.display()),
            }
        }
        Err(error) => Finding {
            ok: false,
            essential: true,
            text: format!(
                "cannot write in this folder ({}): {error}; run the commands from a folder of yours",
                dir.display()
            ),
        },
    }
}

pub fn run() -> Result<(), String> {
    println!("parcours {} (player {})", env!("CARGO_PKG_VERSION"), env!("PARCOURS_PLAYER_BUILD"));
    let here = std::env::current_dir().map_err(|e| format!("cannot tell which folder this is: {e}"))?;
    let findings = [player_embedded(), can_listen(), browser(), writable(&here)];
    for finding in &findings {
        let mark = match (finding.ok, finding.essential) {
            (true, _) => "ok  ",
            (false, true) => "FAIL",
            (false, false) => "note",
        };
        println!("{mark} {}", finding.text);
    }
    if findings.iter().any(|f| !f.ok && f.essential) {
        Err("this setup cannot preview or build courses yet: see FAIL above".to_owned())
    } else {
        println!("Ready: `parcours new my-course`, then `parcours preview my-course`.");
        Ok(())
    }
}
