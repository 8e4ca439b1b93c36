//! The render's values read YAML as kustomize does: aliases expanded, merge keys merged.

use wheelhouse_desired_state::render::value::{from_node, FileLocator};
use wheelhouse_desired_state::yaml::parse;

#[test]
fn render_values_expand_aliases_and_merge_keys_as_kustomize_reads_them() {
    let text = "\
base: &base {cpu: 100m, memory: 128Mi}
extra: &extra {memory: 256Mi, gpu: 1}
one:
  <<: *base
  cpu: 200m
two:
  <<: [*extra, *base]
copy: *base
";
    let f = parse("values.yaml", text).unwrap();
    let v = from_node(&f.documents()[0], &FileLocator("values.yaml".into()));
    let s = |path: &[&str]| v.str_at(path).map(str::to_owned);
    // A key written beside the merge wins over the merged one.
    assert_eq!(s(&["one", "cpu"]).as_deref(), Some("200m"));
    assert_eq!(s(&["one", "memory"]).as_deref(), Some("128Mi"));
    assert!(v.at(&["one", "<<"]).is_none());
    // In a list of merged maps, the earlier one wins.
    assert_eq!(s(&["two", "memory"]).as_deref(), Some("256Mi"));
    assert_eq!(s(&["two", "cpu"]).as_deref(), Some("100m"));
    assert_eq!(s(&["two", "gpu"]).as_deref(), Some("1"));
    // An alias is the anchored value, still located where the anchor's value is written.
    let cpu = v.at(&["copy", "cpu"]).unwrap();
    assert_eq!(cpu.as_str(), Some("100m"));
    let src = cpu.src.as_ref().unwrap();
    assert_eq!((src.line, src.path.as_str()), (1, "base.cpu"));
}
