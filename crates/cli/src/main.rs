//! The `hiresync` binary.

fn main() {}
