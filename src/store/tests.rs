use super::*;

#[test]
fn placeholder_compiles() {
    let store = Store::open(":memory:", false).unwrap();
    assert!(!store.is_readonly());
}
