//! The zip format, as far as exporting and importing a project needs it
//! (PKWARE's APPNOTE 6.3): a writer (deflate, or stored when that is
//! smaller; Unix permissions; UTF-8 names) and a reader of what zip tools
//! write (stored and deflate entries, data descriptors), over `miniz_oxide`
//! and a CRC-32 of our own.
//!
//! The reader takes untrusted bytes: it reads the central directory and
//! checks every offset against the data; entries are inflated one at a
//! time, never past the size asked for, and checked against their CRC-32.
//! Zip64, multi-disk archives and encrypted entries are refused.

use std::fmt;

/// A DOS date and time, as zip entries carry them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DosTime {
    pub date: u16,
    pub time: u16,
}

impl DosTime {
    /// The earliest a zip can say: 1980-01-01 00:00:00.
    pub const EPOCH: DosTime = DosTime { date: (1 << 5) | 1, time: 0 };

    /// From Python's `str(datetime.now())` (`2026-11-22 05:40:01.123456`,
    /// as [`crate::engine::host::Host::now`] gives it); the epoch when it
    /// can't be read or is out of the range zip dates have.
    pub fn from_python(text: &str) -> DosTime {
        let numbers: Vec<u32> = text
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .take(6)
            .map(|s| s.parse().unwrap_or(u32::MAX))
            .collect();
        let [year, month, day, hour, minute, second] = numbers[..] else { return DosTime::EPOCH };
        if !(1980..=2107).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 59 {
            return DosTime::EPOCH;
        }
        DosTime {
            date: (((year - 1980) << 9) | (month << 5) | day) as u16,
            time: ((hour << 11) | (minute << 5) | (second / 2)) as u16,
        }
    }
}

// ------------------------------------------------------------------ CRC-32

const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};

/// The CRC-32 (IEEE, as zip and zlib's `crc32` compute it) of `bytes`.
pub fn crc32(bytes: &[u8]) -> u32 {
    !bytes.iter().fold(!0u32, |c, &b| CRC_TABLE[((c ^ u32::from(b)) & 0xff) as usize] ^ (c >> 8))
}

// ------------------------------------------------------------------ writer

const LOCAL_HEADER: u32 = 0x0403_4b50;
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const END_OF_CENTRAL: u32 = 0x0605_4b50;
const ZIP64_LOCATOR: u32 = 0x0706_4b50;
/// Version 2.0 (deflate, folders), made by Unix (so permissions are read).
const VERSION_NEEDED: u16 = 20;
const VERSION_MADE_BY: u16 = (3 << 8) | 20;
/// General purpose flag: names are UTF-8.
const FLAG_UTF8: u16 = 1 << 11;
const FLAG_ENCRYPTED: u16 = 1;
const FLAG_STRONG_ENCRYPTION: u16 = 1 << 6;
const STORED: u16 = 0;
const DEFLATED: u16 = 8;

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// Writes a zip archive in memory. Archives stay below 4 GB and 65535
/// entries (a project is far smaller), so no Zip64.
pub struct ZipWriter {
    out: Vec<u8>,
    central: Vec<u8>,
    entries: u16,
    modified: DosTime,
}

impl ZipWriter {
    /// Every entry gets `modified` as its time.
    pub fn new(modified: DosTime) -> ZipWriter {
        ZipWriter { out: Vec::new(), central: Vec::new(), entries: 0, modified }
    }

    /// A file (mode 644), deflated unless storing is smaller.
    pub fn add_file(&mut self, name: &str, bytes: &[u8]) {
        let deflated = miniz_oxide::deflate::compress_to_vec(bytes, 6);
        let (method, data) = if deflated.len() < bytes.len() { (DEFLATED, deflated.as_slice()) } else { (STORED, bytes) };
        self.add(name, method, crc32(bytes), data, bytes.len(), 0o100_644);
    }

    /// A folder (mode 755); `name` without its trailing `/`.
    pub fn add_dir(&mut self, name: &str) {
        self.add(&format!("{name}/"), STORED, 0, &[], 0, 0o040_755);
    }

    fn add(&mut self, name: &str, method: u16, crc: u32, data: &[u8], size: usize, mode: u32) {
        let flags = if name.is_ascii() { 0 } else { FLAG_UTF8 };
        let offset = self.out.len() as u32;
        let out = &mut self.out;
        put32(out, LOCAL_HEADER);
        put16(out, VERSION_NEEDED);
        put16(out, flags);
        put16(out, method);
        put16(out, self.modified.time);
        put16(out, self.modified.date);
        put32(out, crc);
        put32(out, data.len() as u32);
        put32(out, size as u32);
        put16(out, name.len() as u16);
        put16(out, 0);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);

        let c = &mut self.central;
        put32(c, CENTRAL_HEADER);
        put16(c, VERSION_MADE_BY);
        put16(c, VERSION_NEEDED);
        put16(c, flags);
        put16(c, method);
        put16(c, self.modified.time);
        put16(c, self.modified.date);
        put32(c, crc);
        put32(c, data.len() as u32);
        put32(c, size as u32);
        put16(c, name.len() as u16);
        put16(c, 0); // extra field
        put16(c, 0); // comment
        put16(c, 0); // disk
        put16(c, 0); // internal attributes
        let dos_dir = if mode & 0o040_000 != 0 { 0x10 } else { 0 };
        put32(c, (mode << 16) | dos_dir);
        put32(c, offset);
        c.extend_from_slice(name.as_bytes());
        self.entries += 1;
    }

    /// The archive's bytes.
    pub fn finish(mut self) -> Vec<u8> {
        let central_offset = self.out.len() as u32;
        let central_size = self.central.len() as u32;
        self.out.append(&mut self.central);
        let out = &mut self.out;
        put32(out, END_OF_CENTRAL);
        put16(out, 0);
        put16(out, 0);
        put16(out, self.entries);
        put16(out, self.entries);
        put32(out, central_size);
        put32(out, central_offset);
        put16(out, 0);
        self.out
    }
}

// ------------------------------------------------------------------ reader

/// Why an archive (or one of its entries) can't be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZipError {
    /// No end-of-central-directory record: not a zip file.
    NotAZip,
    /// Offsets or sizes that don't fit the data, bad signatures, bad deflate data.
    Damaged(String),
    /// Zip64 or a multi-disk archive.
    Unsupported(String),
    /// More entries than allowed.
    TooManyEntries { count: usize, max: usize },
    /// An entry larger than allowed.
    TooLarge { name: String, size: u64, max: usize },
    /// An encrypted entry.
    Encrypted { name: String },
    /// A compression method other than stored and deflate.
    Method { name: String, method: u16 },
    /// An entry name that is not UTF-8.
    BadName,
    /// The entry's bytes don't match its CRC-32.
    Checksum { name: String },
}

impl fmt::Display for ZipError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ZipError::NotAZip => write!(f, "this is not a zip file"),
            ZipError::Damaged(what) => write!(f, "the zip file is damaged ({what})"),
            ZipError::Unsupported(what) => write!(f, "the zip file uses {what}, which driftlab doesn't read"),
            ZipError::TooManyEntries { count, max } => write!(f, "the zip file has {count} entries (at most {max})"),
            ZipError::TooLarge { name, size, max } => write!(
                f,
                "{name:?} in the zip file is too large ({}; at most {})",
                super::saved::human_size(usize::try_from(*size).unwrap_or(usize::MAX)),
                super::saved::human_size(*max)
            ),
            ZipError::Encrypted { name } => write!(f, "{name:?} in the zip file is encrypted"),
            ZipError::Method { name, method } => {
                write!(f, "{name:?} in the zip file is compressed with method {method} (only stored and deflate are read)")
            }
            ZipError::BadName => write!(f, "the zip file has an entry whose name is not UTF-8"),
            ZipError::Checksum { name } => write!(f, "{name:?} in the zip file is damaged (its checksum doesn't match)"),
        }
    }
}

impl std::error::Error for ZipError {}

/// One entry of the central directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZipEntry {
    pub name: String,
    /// A folder (the name ends with `/`).
    pub is_dir: bool,
    pub encrypted: bool,
    pub method: u16,
    pub crc: u32,
    pub compressed_size: u64,
    /// The size the entry says it inflates to.
    pub size: u64,
    local_offset: u64,
}

/// A zip archive's central directory over its bytes.
pub struct ZipArchive<'a> {
    bytes: &'a [u8],
    entries: Vec<ZipEntry>,
}

fn get16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn get32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn damaged(what: &str) -> ZipError {
    ZipError::Damaged(what.to_string())
}

impl<'a> ZipArchive<'a> {
    /// Reads the central directory; more than `max_entries` entries are refused
    /// before any is read.
    pub fn parse(bytes: &'a [u8], max_entries: usize) -> Result<ZipArchive<'a>, ZipError> {
        // The end record is in the last 22 + 65535 (comment) bytes.
        let lowest = bytes.len().saturating_sub(22 + 0xffff);
        let end = (lowest..=bytes.len().saturating_sub(22))
            .rev()
            .find(|&at| get32(bytes, at) == Some(END_OF_CENTRAL))
            .filter(|_| bytes.len() >= 22)
            .ok_or(ZipError::NotAZip)?;
        let field16 = |at| get16(bytes, end + at).ok_or_else(|| damaged("end record"));
        let field32 = |at| get32(bytes, end + at).ok_or_else(|| damaged("end record"));
        let (disk, cd_disk) = (field16(4)?, field16(6)?);
        let (on_disk, count) = (field16(8)?, field16(10)?);
        let (cd_size, cd_offset) = (field32(12)?, field32(16)?);
        if end >= 20 && get32(bytes, end - 20) == Some(ZIP64_LOCATOR)
            || count == 0xffff
            || cd_size == 0xffff_ffff
            || cd_offset == 0xffff_ffff
        {
            return Err(ZipError::Unsupported("Zip64".to_string()));
        }
        if disk != 0 || cd_disk != 0 || on_disk != count {
            return Err(ZipError::Unsupported("several disks".to_string()));
        }
        let count = usize::from(count);
        if count > max_entries {
            return Err(ZipError::TooManyEntries { count, max: max_entries });
        }
        let (cd_offset, cd_size) = (cd_offset as usize, cd_size as usize);
        if cd_offset.checked_add(cd_size).is_none_or(|cd_end| cd_end > end) {
            return Err(damaged("the central directory lies outside the file"));
        }
        let mut entries = Vec::with_capacity(count);
        let mut at = cd_offset;
        for _ in 0..count {
            if get32(bytes, at) != Some(CENTRAL_HEADER) {
                return Err(damaged("a central directory entry"));
            }
            let h16 = |off| get16(bytes, at + off).ok_or_else(|| damaged("a central directory entry"));
            let h32 = |off| get32(bytes, at + off).ok_or_else(|| damaged("a central directory entry"));
            let flags = h16(8)?;
            let method = h16(10)?;
            let crc = h32(16)?;
            let compressed_size = h32(20)?;
            let size = h32(24)?;
            let (name_len, extra_len, comment_len) = (usize::from(h16(28)?), usize::from(h16(30)?), usize::from(h16(32)?));
            let local_offset = h32(42)?;
            let name = bytes.get(at + 46..at + 46 + name_len).ok_or_else(|| damaged("an entry name"))?;
            let name = std::str::from_utf8(name).map_err(|_| ZipError::BadName)?.to_string();
            if compressed_size == 0xffff_ffff || size == 0xffff_ffff || local_offset == 0xffff_ffff {
                return Err(ZipError::Unsupported("Zip64".to_string()));
            }
            entries.push(ZipEntry {
                is_dir: name.ends_with('/'),
                name,
                encrypted: flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION) != 0,
                method,
                crc,
                compressed_size: u64::from(compressed_size),
                size: u64::from(size),
                local_offset: u64::from(local_offset),
            });
            at += 46 + name_len + extra_len + comment_len;
            if at > cd_offset + cd_size {
                return Err(damaged("the central directory is longer than it says"));
            }
        }
        Ok(ZipArchive { bytes, entries })
    }

    /// The entries, in archive order.
    pub fn entries(&self) -> &[ZipEntry] {
        &self.entries
    }

    /// One entry's bytes, refused when it says it is larger than `max_size`.
    pub fn read(&self, entry: &ZipEntry, max_size: usize) -> Result<Vec<u8>, ZipError> {
        let name = || entry.name.clone();
        if entry.encrypted {
            return Err(ZipError::Encrypted { name: name() });
        }
        if entry.method != STORED && entry.method != DEFLATED {
            return Err(ZipError::Method { name: name(), method: entry.method });
        }
        if entry.size > max_size as u64 {
            return Err(ZipError::TooLarge { name: name(), size: entry.size, max: max_size });
        }
        let at = usize::try_from(entry.local_offset).map_err(|_| damaged("an entry's offset"))?;
        if get32(self.bytes, at) != Some(LOCAL_HEADER) {
            return Err(damaged(&format!("the header of {:?}", entry.name)));
        }
        let name_len = usize::from(get16(self.bytes, at + 26).unwrap_or_default());
        let extra_len = usize::from(get16(self.bytes, at + 28).unwrap_or_default());
        let start = at + 30 + name_len + extra_len;
        let data = usize::try_from(entry.compressed_size)
            .ok()
            .and_then(|len| self.bytes.get(start..start.checked_add(len)?))
            .ok_or_else(|| damaged(&format!("{:?} runs past the end of the file", entry.name)))?;
        let size = entry.size as usize;
        let bytes = match entry.method {
            STORED if data.len() == size => data.to_vec(),
            STORED => return Err(damaged(&format!("the sizes of {:?}", entry.name))),
            _ => match miniz_oxide::inflate::decompress_to_vec_with_limit(data, size) {
                Ok(bytes) if bytes.len() == size => bytes,
                _ => return Err(damaged(&format!("the compressed data of {:?}", entry.name))),
            },
        };
        if crc32(&bytes) != entry.crc {
            return Err(ZipError::Checksum { name: name() });
        }
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_is_zlibs() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn dos_times_from_python_timestamps() {
        let t = DosTime::from_python("2026-11-22 05:40:01.123456");
        assert_eq!(t.date, ((2026 - 1980) << 9) | (11 << 5) | 22);
        assert_eq!(t.time, (5 << 11) | (40 << 5));
        assert_eq!(DosTime::from_python("garbage"), DosTime::EPOCH);
        assert_eq!(DosTime::from_python("1970-01-01 00:00:00"), DosTime::EPOCH);
    }

    #[test]
    fn what_the_writer_writes_the_reader_reads() {
        let mut w = ZipWriter::new(DosTime::EPOCH);
        w.add_dir("app");
        w.add_file("app/a.txt", &b"hello ".repeat(100));
        w.add_file("app/é.bin", &[1, 2, 3]);
        let bytes = w.finish();
        let zip = ZipArchive::parse(&bytes, 10).unwrap();
        let names: Vec<&str> = zip.entries().iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["app/", "app/a.txt", "app/é.bin"]);
        assert_eq!(zip.entries()[1].method, DEFLATED);
        assert_eq!(zip.read(&zip.entries()[1], 600).unwrap(), b"hello ".repeat(100));
        assert_eq!(zip.read(&zip.entries()[2], 3).unwrap(), [1, 2, 3]);
        assert!(matches!(zip.read(&zip.entries()[1], 599), Err(ZipError::TooLarge { .. })));
        assert!(matches!(ZipArchive::parse(&bytes, 2), Err(ZipError::TooManyEntries { count: 3, max: 2 })));
    }

    #[test]
    fn cut_or_garbled_archives_are_errors_not_panics() {
        let mut w = ZipWriter::new(DosTime::EPOCH);
        w.add_file("a.txt", &b"x".repeat(1000));
        let bytes = w.finish();
        let read_all = |bytes: &[u8]| -> Result<Vec<Vec<u8>>, ZipError> {
            let zip = ZipArchive::parse(bytes, 10)?;
            zip.entries().iter().map(|e| zip.read(e, 1 << 20)).collect()
        };
        for len in 0..bytes.len() {
            assert!(read_all(&bytes[..len]).is_err(), "cut at {len}");
        }
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x55;
            // A changed byte is an error, or (in a field nothing checks: time, attributes) the same file.
            if let Ok(files) = read_all(&b) {
                assert_eq!(files, vec![b"x".repeat(1000)], "byte {i}");
            }
        }
        assert_eq!(ZipArchive::parse(b"not a zip at all, just text", 10).err(), Some(ZipError::NotAZip));
    }
}
