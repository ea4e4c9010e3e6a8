//! Small things a newcomer meets: units and paths with `/`.
use crate::common::Sandbox;

#[test]
fn units_with_a_slash_need_no_quotes() {
    let sandbox = Sandbox::new();
    sandbox.load("metric wind unit=m/s desc=\"Wind speed\"\ninsert 2024-06 wind=4.5\n");
    let out = sandbox.csv("metrics wind");
    out.ok();
    assert!(out.stdout.contains(",m/s,"), "{}", out.stdout);
}
