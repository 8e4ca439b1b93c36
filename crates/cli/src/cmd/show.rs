use crate::context::Context;
use wheelhouse_diagnostics::Problem;
use wheelhouse_repo::history::{CommitDetail, FileDiff, LineKind};

/// Show one commit with its diff.
#[derive(Debug, clap::Args)]
pub struct Args {
    commit: String,
}

pub fn run(args: Args, cx: &Context) -> Result<(), Problem> {
    let detail = cx.open()?.commit_detail(&args.commit)?;
    cx.out.show(&detail, print);
    Ok(())
}

fn print(d: &CommitDetail) {
    println!("commit {}", d.commit.id);
    println!(
        "Author: {} <{}>",
        d.commit.author_name, d.commit.author_email
    );
    println!();
    for line in d.message.lines() {
        println!("    {line}");
    }
    println!();
    print_files(&d.files);
}

/// Files' diffs as `git diff` prints them, each headed by its status and counts.
pub fn print_files(files: &[FileDiff]) {
    for f in files {
        println!(
            "{} {:?} (+{} -{})",
            f.path, f.status, f.additions, f.deletions
        );
        if f.binary {
            println!("  (binary)");
        }
        for h in &f.hunks {
            println!("{}", h.header);
            for l in &h.lines {
                let sign = match l.kind {
                    LineKind::Added => '+',
                    LineKind::Removed => '-',
                    LineKind::Context => ' ',
                };
                println!("{sign}{}", l.text);
            }
        }
    }
}
