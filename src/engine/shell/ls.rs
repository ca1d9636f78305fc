//! `ls` as GNU coreutils 9.1 prints it: one name per line when output is not
//! a terminal, columns (80 wide, tab-aligned as ls aligns them) when it is or
//! with `-C`, the long format with `-l`, and its order of files, then each
//! directory under a `name:` header.

use super::fs::{self, Kind};
use super::options::Spec;
use super::quoting;
use super::Context;
use crate::engine::output::CommandOutput;

const SPEC: Spec = Spec {
    command: "ls",
    short: "aAlCdhRrFpSt1",
    long: &[
        ("all", 'a'),
        ("almost-all", 'A'),
        ("directory", 'd'),
        ("human-readable", 'h'),
        ("recursive", 'R'),
        ("reverse", 'r'),
        ("classify", 'F'),
    ],
    unsupported: "bcfgiIkmnoqsTuvwxBDGHLNQUXZ",
    usage_exit: 2,
    synopsis: "Usage: ls [OPTION]... [FILE]...\ndriftlab's ls: -a -A -l -h -1 -C -d -R -r -S -t -F -p",
};

/// The owner and group `ls -l` shows for everything.
const OWNER: &str = "learner";
/// The width ls lays columns out in (a terminal of 80 columns).
const LINE_WIDTH: usize = 80;
/// The narrowest column ls considers: one character and two spaces.
const MIN_COLUMN_WIDTH: usize = 3;
/// Where ls's tab stops are (it aligns columns with tabs where it can).
const TAB_SIZE: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    OnePerLine,
    Columns,
    Long,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sort {
    Name,
    Size,
    Time,
}

/// The options that shape a listing, after later ones override earlier ones.
struct Listing {
    format: Format,
    /// `-a`: `.`, `..` and dotfiles; `-A`: dotfiles only.
    show_all: bool,
    show_hidden: bool,
    directories_as_files: bool,
    recursive: bool,
    human: bool,
    reverse: bool,
    sort: Sort,
    /// `-F` or `-p`: a `/` after directory names.
    slash_after_dirs: bool,
    /// What `-l` shows as every entry's time (the project keeps no times).
    date: String,
}

/// One name to print and what ls knows about it.
#[derive(Debug, Clone)]
struct Entry {
    /// The name as printed: the operand as typed, or the name inside its directory.
    name: String,
    /// The project path it stands for.
    path: String,
    kind: Kind,
    size: u64,
    links: usize,
}

pub fn ls(ctx: &mut Context<'_>, args: &[String]) -> CommandOutput {
    let parsed = match SPEC.parse(args) {
        Ok(parsed) => parsed,
        Err(output) => return output,
    };
    let mut format = if ctx.terminal { Format::Columns } else { Format::OnePerLine };
    for flag in &parsed.flags {
        format = match (flag, format) {
            ('l', _) => Format::Long,
            ('C', _) => Format::Columns,
            // `-1` does not undo an earlier `-l`.
            ('1', Format::Long) => Format::Long,
            ('1', _) => Format::OnePerLine,
            (_, unchanged) => unchanged,
        };
    }
    let hidden = parsed.last_of(&['a', 'A']);
    let listing = Listing {
        format,
        show_all: hidden == Some('a'),
        show_hidden: hidden.is_some(),
        directories_as_files: parsed.has('d'),
        recursive: parsed.has('R'),
        human: parsed.has('h'),
        reverse: parsed.has('r'),
        sort: match parsed.last_of(&['S', 't']) {
            Some('S') => Sort::Size,
            Some('t') => Sort::Time,
            _ => Sort::Name,
        },
        slash_after_dirs: parsed.has('F') || parsed.has('p'),
        date: listing_date(&ctx.host.now()),
    };

    let mut output = CommandOutput::default();
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    let operands = if parsed.operands.is_empty() { vec![".".to_string()] } else { parsed.operands.clone() };
    for operand in &operands {
        let found = ctx.locate(operand).and_then(|target| Ok((fs::stat(ctx.project, &target)?, target.path)));
        match found {
            Ok((kind, path)) => {
                let entry = entry(ctx, operand.clone(), path, kind);
                if kind == Kind::Dir && !listing.directories_as_files {
                    dirs.push(entry);
                } else {
                    files.push(entry);
                }
            }
            Err(errno) => {
                output.stderr.push_str(&format!("ls: cannot access {}: {errno}\n", quoting::always(operand)));
                output.exit_code = 2;
            }
        }
    }
    sort(&mut files, &listing);
    sort(&mut dirs, &listing);

    // GNU ls names each directory it lists, except when the listing is only
    // one directory asked for alone.
    let name_dirs = listing.recursive || !(files.is_empty() && operands.len() <= 1 && dirs.len() == 1);
    let mut text = String::new();
    if !files.is_empty() {
        text.push_str(&render(&files, &listing, false));
        if !dirs.is_empty() {
            text.push('\n');
        }
    }
    let mut first_dir = true;
    // A stack, as ls keeps it: a directory's subdirectories come right after it.
    let mut pending: Vec<Entry> = dirs.into_iter().rev().collect();
    while let Some(dir) = pending.pop() {
        if name_dirs {
            if !first_dir {
                text.push('\n');
            }
            text.push_str(&format!("{}:\n", dir.name));
        }
        first_dir = false;
        let mut entries = contents(ctx, &dir, &listing);
        sort(&mut entries, &listing);
        text.push_str(&render(&entries, &listing, true));
        if listing.recursive {
            let subdirs = entries.iter().filter(|e| e.kind == Kind::Dir && e.name != "." && e.name != "..");
            let queued: Vec<Entry> =
                subdirs.map(|e| Entry { name: fs::join_arg(&dir.name, &e.name), ..e.clone() }).collect();
            pending.extend(queued.into_iter().rev());
        }
    }
    output.stdout = text;
    output
}

fn entry(ctx: &Context<'_>, name: String, path: String, kind: Kind) -> Entry {
    let (size, links) = match kind {
        Kind::File => (ctx.project.read(&path).map_or(0, |b| b.len() as u64), 1),
        Kind::Dir => {
            let subdirs = fs::children(ctx.project, &path).iter().filter(|(_, k)| *k == Kind::Dir).count();
            (4096, 2 + subdirs)
        }
    };
    Entry { name, path, kind, size, links }
}

/// A directory's entries as ls shows them (with `.` and `..` for `-a`).
fn contents(ctx: &Context<'_>, dir: &Entry, listing: &Listing) -> Vec<Entry> {
    let mut entries = Vec::new();
    if listing.show_all {
        entries.push(Entry { name: ".".to_string(), ..dir.clone() });
        let parent = if dir.path.is_empty() {
            // Above the project: a home folder holding it.
            Entry { name: "..".to_string(), path: String::new(), kind: Kind::Dir, size: 4096, links: 3 }
        } else {
            entry(ctx, "..".to_string(), fs::parent(&dir.path).to_string(), Kind::Dir)
        };
        entries.push(parent);
    }
    for (name, kind) in fs::children(ctx.project, &dir.path) {
        if name.starts_with('.') && !listing.show_hidden {
            continue;
        }
        let path = fs::join(&dir.path, &name);
        entries.push(entry(ctx, name, path, kind));
    }
    entries
}

fn sort(entries: &mut [Entry], listing: &Listing) {
    entries.sort_by(|a, b| {
        let order = match listing.sort {
            Sort::Size => b.size.cmp(&a.size).then_with(|| a.name.cmp(&b.name)),
            // Every entry has the same time, so ties fall back to the name.
            Sort::Time | Sort::Name => a.name.cmp(&b.name),
        };
        if listing.reverse {
            order.reverse()
        } else {
            order
        }
    });
}

/// Prints entries in the listing's format; `total` for a directory's `-l` listing.
fn render(entries: &[Entry], listing: &Listing, total: bool) -> String {
    let names: Vec<String> = entries
        .iter()
        .map(|e| {
            let slash = listing.slash_after_dirs && e.kind == Kind::Dir;
            format!("{}{}", e.name, if slash { "/" } else { "" })
        })
        .collect();
    match listing.format {
        Format::OnePerLine => names.iter().map(|n| format!("{n}\n")).collect(),
        Format::Columns => columns(&names),
        Format::Long => long(entries, &names, listing, total),
    }
}

/// The `-l` lines: mode, links, owner, group, size, date, name.
fn long(entries: &[Entry], names: &[String], listing: &Listing, total: bool) -> String {
    let size_text = |size: u64| if listing.human { human_size(size) } else { size.to_string() };
    let sizes: Vec<String> = entries.iter().map(|e| size_text(e.size)).collect();
    let links_width = entries.iter().map(|e| e.links.to_string().len()).max().unwrap_or(1);
    let size_width = sizes.iter().map(String::len).max().unwrap_or(1);
    let mut out = String::new();
    if total {
        // Space used in 1K blocks, as on ext4: 4K per started block, 4K per directory.
        let blocks: u64 = entries.iter().map(|e| if e.kind == Kind::Dir { 4 } else { e.size.div_ceil(4096) * 4 }).sum();
        let shown = if listing.human { human_size(blocks * 1024) } else { blocks.to_string() };
        out.push_str(&format!("total {shown}\n"));
    }
    for ((entry, size), name) in entries.iter().zip(&sizes).zip(names) {
        let mode = if entry.kind == Kind::Dir { "drwxr-xr-x" } else { "-rw-r--r--" };
        out.push_str(&format!(
            "{mode} {:>links_width$} {OWNER} {OWNER} {size:>size_width$} {} {name}\n",
            entry.links, listing.date
        ));
    }
    out
}

/// `ls -h`'s sizes: 1024-based, rounded up, one decimal below 10 (`4.0K`, `12K`).
fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["K", "M", "G", "T", "P", "E"];
    if bytes < 1024 {
        return bytes.to_string();
    }
    let mut scale: u64 = 1024;
    let mut unit = 0;
    while bytes.div_ceil(scale) > 1024 && unit + 1 < UNITS.len() {
        scale *= 1024;
        unit += 1;
    }
    let tenths = (bytes * 10).div_ceil(scale);
    if tenths < 100 {
        format!("{}.{}{}", tenths / 10, tenths % 10, UNITS[unit])
    } else {
        let whole = bytes.div_ceil(scale);
        if whole >= 1024 && unit + 1 < UNITS.len() {
            format!("1.0{}", UNITS[unit + 1])
        } else {
            format!("{whole}{}", UNITS[unit])
        }
    }
}

/// The `Mon DD HH:MM` ls shows for a recent time, from the Host's
/// `YYYY-MM-DD HH:MM:SS.ffffff`.
fn listing_date(now: &str) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let number = |range: std::ops::Range<usize>| now.get(range).and_then(|s| s.parse::<usize>().ok());
    match (number(5..7), number(8..10), now.get(11..16)) {
        (Some(month @ 1..=12), Some(day), Some(time)) => format!("{} {day:>2} {time}", MONTHS[month - 1]),
        _ => "Jan  1 00:00".to_string(),
    }
}

/// Lays names out in columns, down then across, as `ls -C` does: the most
/// columns whose line stays under the width, each column as wide as its
/// longest name plus two spaces, padding made of tabs where a tab stop fits.
fn columns(names: &[String]) -> String {
    if names.is_empty() {
        return String::new();
    }
    let count = names.len();
    let widths: Vec<usize> = names.iter().map(|n| n.chars().count()).collect();
    let most_columns = (LINE_WIDTH / MIN_COLUMN_WIDTH).max(1).min(count);
    let mut chosen = vec![widths.iter().copied().max().unwrap_or(0)];
    for columns in 2..=most_columns {
        let rows = count.div_ceil(columns);
        let mut column_widths = vec![MIN_COLUMN_WIDTH; columns];
        for (i, width) in widths.iter().enumerate() {
            let column = i / rows;
            let with_gap = width + if column == columns - 1 { 0 } else { 2 };
            column_widths[column] = column_widths[column].max(with_gap);
        }
        if column_widths.iter().sum::<usize>() < LINE_WIDTH {
            chosen = column_widths;
        }
    }
    let rows = count.div_ceil(chosen.len());
    let mut out = String::new();
    for row in 0..rows {
        let mut position = 0;
        let mut index = row;
        let mut column = 0;
        loop {
            out.push_str(&names[index]);
            let end = position + widths[index];
            let column_end = position + chosen[column];
            column += 1;
            index += rows;
            if index >= count {
                break;
            }
            pad(&mut out, end, column_end);
            position = column_end;
        }
        out.push('\n');
    }
    out
}

/// Moves from column `from` to column `to` with tabs and spaces, as ls's `indent` does.
fn pad(out: &mut String, mut from: usize, to: usize) {
    while from < to {
        if to / TAB_SIZE > (from + 1) / TAB_SIZE {
            out.push('\t');
            from += TAB_SIZE - from % TAB_SIZE;
        } else {
            out.push(' ');
            from += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_sizes_round_up_like_gnu() {
        assert_eq!(human_size(0), "0");
        assert_eq!(human_size(1023), "1023");
        assert_eq!(human_size(1024), "1.0K");
        assert_eq!(human_size(1500), "1.5K");
        assert_eq!(human_size(4096), "4.0K");
        assert_eq!(human_size(10 * 1024 - 1), "10K");
        assert_eq!(human_size(1024 * 1024), "1.0M");
    }

    #[test]
    fn dates_read_from_the_host_clock() {
        assert_eq!(listing_date("2026-01-01 00:00:00.000000"), "Jan  1 00:00");
        assert_eq!(listing_date("2025-11-22 06:11:59.1"), "Nov 22 06:11");
    }
}
