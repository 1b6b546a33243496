//! Gives `libezla.so` the soname `libezla.so.0` on Linux, so programs linked against it
//! record `libezla.so.0` and keep loading any 0.x.y build installed under that name.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=CARGO_CFG_TARGET_OS");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libezla.so.0");
    }
}
