//! Keyless's pure logic: everything that decides, parses or generates, with no browser or network
//! dependency, so it compiles and is tested natively and is shared by the app and `cargo xtask`.
