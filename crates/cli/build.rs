//! The commit `wheelhouse --version` names.

fn main() {
    wheelhouse_build_info::emit();
}
