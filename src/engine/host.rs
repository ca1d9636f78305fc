//! What the engine needs from the machine it runs on: the local time (for a
//! revision's `Create Date`) and randomness (for revision ids). The page and
//! the native CLI each provide one; tests use a fixed one.

pub trait Host {
    /// The local date and time as Python's `str(datetime.now())` writes it:
    /// `2026-11-22 05:40:01.123456`.
    fn now(&self) -> String;
    /// A random number (revision ids are its hex digits).
    fn random_u64(&mut self) -> u64;
}

/// A host whose clock stands still and whose randomness repeats: for tests
/// and for reproducible transcripts.
#[derive(Debug, Clone)]
pub struct FixedHost {
    pub now: String,
    state: u64,
}

impl FixedHost {
    pub fn new(now: impl Into<String>, seed: u64) -> Self {
        FixedHost { now: now.into(), state: seed | 1 }
    }
}

impl Default for FixedHost {
    fn default() -> Self {
        FixedHost::new("2026-01-01 00:00:00.000000", 0x2545_f491_4f6c_dd1d)
    }
}

impl Host for FixedHost {
    fn now(&self) -> String {
        self.now.clone()
    }

    fn random_u64(&mut self) -> u64 {
        // xorshift64*: deterministic and good enough for ids.
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// Formats seconds since the Unix epoch (UTC) plus microseconds as
/// `YYYY-MM-DD HH:MM:SS.ffffff`.
pub fn format_timestamp(unix_seconds: i64, micros: u32) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let secs = unix_seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}.{micros:06}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian
/// calendar (Howard Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

/// (year, month, day) to days since 1970-01-01: the inverse of [`civil_from_days`].
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_format_like_python() {
        assert_eq!(format_timestamp(0, 0), "1970-01-01 00:00:00.000000");
        assert_eq!(format_timestamp(1_795_323_601, 123_456), "2026-11-22 05:00:01.123456");
        assert_eq!(days_from_civil(2026, 11, 22), 1_795_323_601 / 86_400);
        assert_eq!(civil_from_days(days_from_civil(2000, 2, 29)), (2000, 2, 29));
    }

    #[test]
    fn fixed_host_repeats() {
        let mut a = FixedHost::default();
        let mut b = FixedHost::default();
        assert_eq!(a.random_u64(), b.random_u64());
    }
}
