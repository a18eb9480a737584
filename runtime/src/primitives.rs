//! The value types of shapes: [`DateTime`], [`Blob`], [`Document`].

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_smithy_types::date_time::Format as SmithyFormat;

/// An untyped JSON document (Smithy `document`).
pub type Document = serde_json::Value;

/// Bytes (Smithy `blob`). Travels base64-encoded in JSON bodies and headers.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Blob(Vec<u8>);

impl Blob {
    /// Wrap bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Blob(bytes.into())
    }

    /// The bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Blob {
    fn from(v: Vec<u8>) -> Self {
        Blob(v)
    }
}

impl From<&[u8]> for Blob {
    fn from(v: &[u8]) -> Self {
        Blob(v.to_vec())
    }
}

impl From<&str> for Blob {
    fn from(v: &str) -> Self {
        Blob(v.as_bytes().to_vec())
    }
}

impl fmt::Debug for Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Blob({} bytes)", self.0.len())
    }
}

/// An enum value that this version of a generated crate does not know.
///
/// Generated enums keep such values in their `Unknown` variant so that nothing
/// the service sends is lost; read it back with [`UnknownVariantValue::as_str`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnknownVariantValue(String);

impl UnknownVariantValue {
    /// Wrap a value. Generated code calls this for values it does not know.
    #[doc(hidden)]
    pub fn new(value: impl Into<String>) -> Self {
        UnknownVariantValue(value.into())
    }

    /// The value as the service sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How a timestamp is written on the wire (aws-smithy-types' `Format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// RFC 3339 (`2024-01-02T03:04:05Z`, fractional seconds when present).
    /// [`DateTime::from_str`] accepts any UTC offset; [`DateTime::read`]
    /// only `Z`, as aws-smithy-types' `Format::DateTime`.
    DateTime,
    /// RFC 3339 with any UTC offset (`2024-01-02T04:04:05+01:00`); written
    /// as [`Format::DateTime`] is.
    DateTimeWithOffset,
    /// RFC 7231 IMF-fixdate (`Tue, 02 Jan 2024 03:04:05 GMT`).
    HttpDate,
    /// Seconds since the Unix epoch, fractional when needed (`1704164645.5`).
    EpochSeconds,
}

/// A point in time with nanosecond precision (Smithy `timestamp`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    secs: i64,
    nanos: u32,
}

/// A timestamp could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTimeError {
    message: String,
}

impl fmt::Display for DateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DateTimeError {}

fn err(message: String) -> DateTimeError {
    DateTimeError { message }
}

impl DateTime {
    /// Whole seconds since the epoch.
    pub fn from_secs(secs: i64) -> Self {
        DateTime { secs, nanos: 0 }
    }

    /// Seconds and nanoseconds since the epoch; `nanos` past a second carry
    /// over (aws-smithy-types' panics instead), saturating at `i64::MAX`
    /// seconds.
    pub fn from_secs_and_nanos(secs: i64, nanos: u32) -> Self {
        DateTime {
            secs: secs.saturating_add(i64::from(nanos / 1_000_000_000)),
            nanos: nanos % 1_000_000_000,
        }
    }

    /// Seconds and a fraction of a second since the epoch, as
    /// aws-smithy-types' `from_fractional_secs`: the fraction is truncated to
    /// nanoseconds (a negative or NaN fraction is 0), and a fraction that
    /// rounds to a whole second carries into `epoch_seconds`. A fraction of
    /// a second or more, where aws-smithy-types panics, carries over too.
    pub fn from_fractional_secs(epoch_seconds: i64, fraction: f64) -> Self {
        // `as` saturates (and maps NaN to 0), as in aws-smithy-types.
        let nanos = (fraction * 1_000_000_000_f64) as u32;
        DateTime::from_secs_and_nanos(epoch_seconds, nanos)
    }

    /// Fractional seconds since the epoch, rounded to the millisecond as AWS
    /// services do.
    pub fn from_secs_f64(secs: f64) -> Self {
        let millis = (secs * 1000.0).round() as i64;
        DateTime {
            secs: millis.div_euclid(1000),
            nanos: (millis.rem_euclid(1000) as u32) * 1_000_000,
        }
    }

    /// Milliseconds since the epoch.
    pub fn from_millis(epoch_millis: i64) -> Self {
        DateTime {
            secs: epoch_millis.div_euclid(1000),
            nanos: (epoch_millis.rem_euclid(1000) as u32) * 1_000_000,
        }
    }

    /// Nanoseconds since the epoch; fails outside `i64` seconds.
    pub fn from_nanos(epoch_nanos: i128) -> Result<Self, ConversionError> {
        let secs = i64::try_from(epoch_nanos.div_euclid(1_000_000_000))
            .map_err(|_| ConversionError("nanoseconds out of range"))?;
        Ok(DateTime {
            secs,
            nanos: epoch_nanos.rem_euclid(1_000_000_000) as u32,
        })
    }

    /// Nanoseconds since the epoch.
    pub fn as_nanos(&self) -> i128 {
        i128::from(self.secs) * 1_000_000_000 + i128::from(self.nanos)
    }

    /// Milliseconds since the epoch (rounded down); fails when they overflow `i64`.
    pub fn to_millis(self) -> Result<i64, ConversionError> {
        let ms = i128::from(self.secs) * 1000 + i128::from(self.nanos / 1_000_000);
        i64::try_from(ms).map_err(|_| ConversionError("milliseconds overflow i64"))
    }

    /// Whether there is a fraction of a second.
    pub fn has_subsec_nanos(&self) -> bool {
        self.nanos != 0
    }

    /// Whole seconds since the epoch (rounded down).
    pub fn secs(&self) -> i64 {
        self.secs
    }

    /// Nanoseconds past [`DateTime::secs`].
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Fractional seconds since the epoch.
    pub fn as_secs_f64(&self) -> f64 {
        self.secs as f64 + f64::from(self.nanos) / 1e9
    }

    /// The same instant as aws-smithy-types' `DateTime`, which reads and
    /// writes the text formats (as aws-sdk's crates do).
    fn to_smithy(self) -> aws_smithy_types::DateTime {
        aws_smithy_types::DateTime::from_secs_and_nanos(self.secs, self.nanos)
    }

    fn from_smithy(t: aws_smithy_types::DateTime) -> Self {
        DateTime {
            secs: t.secs(),
            nanos: t.subsec_nanos(),
        }
    }

    /// Write in `format`. Fails only for years outside 1..=9999 in the text
    /// formats.
    pub fn fmt(&self, format: Format) -> Result<String, DateTimeError> {
        match format {
            Format::EpochSeconds => Ok(self.epoch_seconds()),
            Format::DateTime | Format::DateTimeWithOffset => {
                // RFC 3339 with `Z`, and fractional seconds only when present
                // (to the nanosecond: aws-smithy-types writes microseconds).
                let base = DateTime::from_secs(self.secs)
                    .to_smithy()
                    .fmt(SmithyFormat::DateTime)
                    .map_err(|e| err(format!("cannot write timestamp as date-time: {e}")))?;
                if self.nanos == 0 {
                    Ok(base)
                } else {
                    let frac = format!("{:09}", self.nanos);
                    let frac = frac.trim_end_matches('0');
                    Ok(format!("{}.{frac}Z", base.trim_end_matches('Z')))
                }
            }
            Format::HttpDate => self
                .to_smithy()
                .fmt(SmithyFormat::HttpDate)
                .map_err(|e| err(format!("cannot write timestamp as http-date: {e}"))),
        }
    }

    fn epoch_seconds(&self) -> String {
        if self.nanos == 0 {
            return self.secs.to_string();
        }
        // Negative times with a fraction: -1.5 is secs -2, nanos 500_000_000.
        let (whole, frac) = if self.secs < 0 {
            (self.secs + 1, 1_000_000_000 - self.nanos)
        } else {
            (self.secs, self.nanos)
        };
        let sign = if self.secs < 0 && whole == 0 { "-" } else { "" };
        let frac = format!("{frac:09}");
        format!("{sign}{whole}.{}", frac.trim_end_matches('0'))
    }

    /// Read from `text` in `format`. Date-times accept any UTC offset and
    /// fractional seconds; http-dates must be IMF-fixdate (with at most
    /// milliseconds, as aws-smithy-types reads them).
    pub fn from_str(text: &str, format: Format) -> Result<Self, DateTimeError> {
        match format {
            Format::DateTime | Format::DateTimeWithOffset => {
                aws_smithy_types::DateTime::from_str(text, SmithyFormat::DateTimeWithOffset)
                    .map(Self::from_smithy)
                    .map_err(|e| {
                        err(format!(
                            "`{}` is not an RFC 3339 date-time: {}",
                            crate::shown::shown(text),
                            crate::shown::shown(&e.to_string())
                        ))
                    })
            }
            Format::HttpDate => aws_smithy_types::DateTime::from_str(text, SmithyFormat::HttpDate)
                .map(Self::from_smithy)
                .map_err(|e| {
                    err(format!(
                        "`{}` is not an HTTP date: {}",
                        crate::shown::shown(text),
                        crate::shown::shown(&e.to_string())
                    ))
                }),
            Format::EpochSeconds => text
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .map(Self::from_secs_f64)
                .ok_or_else(|| {
                    err(format!(
                        "`{}` is not a number of seconds since the epoch",
                        crate::shown::shown(text)
                    ))
                }),
        }
    }
}

impl DateTime {
    /// Read one timestamp in `format` from the start of `text`, followed by
    /// `delim` or the end; returns it and the text after the delimiter (as
    /// aws-smithy-types' `DateTime::read`, for lists of timestamps in one
    /// header). A date-time ends at its first `Z` (with
    /// [`Format::DateTime`] it must end there), an http-date at its ` GMT`
    /// (and the whole text must be ASCII), epoch seconds at `delim`, read to
    /// the nanosecond. Unlike aws-smithy-types', a delimiter outside ASCII
    /// is skipped whole instead of panicking.
    pub fn read(text: &str, format: Format, delim: char) -> Result<(Self, &str), DateTimeError> {
        let smithy_format = match format {
            Format::DateTime => SmithyFormat::DateTime,
            Format::DateTimeWithOffset => SmithyFormat::DateTimeWithOffset,
            Format::HttpDate => SmithyFormat::HttpDate,
            Format::EpochSeconds => SmithyFormat::EpochSeconds,
        };
        let end = match format {
            Format::DateTime | Format::DateTimeWithOffset => text.find('Z').map(|i| i + 1),
            Format::HttpDate => {
                if !text.is_ascii() {
                    return Err(err(format!(
                        "`{}` is not an HTTP date: not ASCII",
                        crate::shown::shown(text)
                    )));
                }
                match text.find(" GMT") {
                    Some(i) => Some(i + " GMT".len()),
                    None => {
                        return Err(err(format!(
                            "`{}` is not an HTTP date: no ` GMT`",
                            crate::shown::shown(text)
                        )))
                    }
                }
            }
            Format::EpochSeconds => text.find(delim),
        };
        let (head, next) = text.split_at(end.unwrap_or(text.len()));
        let t = aws_smithy_types::DateTime::from_str(head, smithy_format)
            .map(Self::from_smithy)
            .map_err(|e| {
                err(format!(
                    "`{}` is not a timestamp in {format:?} format: {}",
                    crate::shown::shown(head),
                    crate::shown::shown(&e.to_string())
                ))
            })?;
        if next.is_empty() {
            Ok((t, next))
        } else if let Some(rest) = next.strip_prefix(delim) {
            Ok((t, rest))
        } else {
            Err(err(format!(
                "expected `{}` or the end after a timestamp, found `{}`",
                delim.escape_default(),
                crate::shown::shown(next)
            )))
        }
    }
}

impl From<SystemTime> for DateTime {
    fn from(t: SystemTime) -> Self {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => DateTime {
                secs: d.as_secs() as i64,
                nanos: d.subsec_nanos(),
            },
            Err(e) => {
                let d = e.duration();
                let neg = DateTime {
                    secs: -(d.as_secs() as i64),
                    nanos: 0,
                };
                if d.subsec_nanos() == 0 {
                    neg
                } else {
                    DateTime {
                        secs: neg.secs - 1,
                        nanos: 1_000_000_000 - d.subsec_nanos(),
                    }
                }
            }
        }
    }
}

/// A [`DateTime`] that `SystemTime` cannot hold (or that overflows milliseconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversionError(&'static str);

impl fmt::Display for ConversionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for ConversionError {}

impl TryFrom<DateTime> for SystemTime {
    type Error = ConversionError;

    /// As aws-sdk's: fails, instead of panicking, outside what `SystemTime` holds.
    fn try_from(t: DateTime) -> Result<Self, ConversionError> {
        let out_of_range = ConversionError("the date-time is outside what SystemTime can hold");
        if t.secs >= 0 {
            UNIX_EPOCH
                .checked_add(Duration::new(t.secs as u64, t.nanos))
                .ok_or(out_of_range)
        } else {
            UNIX_EPOCH
                .checked_sub(Duration::from_secs(t.secs.unsigned_abs()))
                .and_then(|s| s.checked_add(Duration::from_nanos(u64::from(t.nanos))))
                .ok_or(out_of_range)
        }
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.fmt(Format::DateTime) {
            Ok(s) => f.write_str(&s),
            Err(_) => write!(f, "{}s since the epoch", self.epoch_seconds()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_escape_the_text_aws_smithy_quotes() {
        // aws-smithy-types' errors quote bytes of the input; a response's
        // control characters must not reach an error message raw.
        for (text, format) in [
            ("2024-1\u{1b}-01T00:00:00Z", Format::DateTime),
            ("2024-01-01T00:00:0\u{1b}Z", Format::DateTime),
            ("Mon, 01 J\u{1b}n 2024 00:00:00 GMT", Format::HttpDate),
        ] {
            let errors = [
                DateTime::from_str(text, format).unwrap_err().to_string(),
                DateTime::read(text, format, ';').unwrap_err().to_string(),
            ];
            for e in errors {
                assert!(!e.chars().any(char::is_control), "{e:?}");
            }
        }
    }

    #[test]
    fn formats_round_trip() {
        let t = DateTime::from_secs(1_704_164_645);
        assert_eq!(t.fmt(Format::DateTime).unwrap(), "2024-01-02T03:04:05Z");
        assert_eq!(
            t.fmt(Format::HttpDate).unwrap(),
            "Tue, 02 Jan 2024 03:04:05 GMT"
        );
        assert_eq!(t.fmt(Format::EpochSeconds).unwrap(), "1704164645");
        for f in [Format::DateTime, Format::HttpDate, Format::EpochSeconds] {
            assert_eq!(DateTime::from_str(&t.fmt(f).unwrap(), f).unwrap(), t);
        }
    }

    #[test]
    fn fractions() {
        let t = DateTime::from_secs_f64(1_704_164_645.5);
        assert_eq!(t.subsec_nanos(), 500_000_000);
        assert_eq!(t.fmt(Format::DateTime).unwrap(), "2024-01-02T03:04:05.5Z");
        assert_eq!(t.fmt(Format::EpochSeconds).unwrap(), "1704164645.5");
        assert_eq!(
            DateTime::from_secs_f64(-1.5)
                .fmt(Format::EpochSeconds)
                .unwrap(),
            "-1.5"
        );
        assert_eq!(
            DateTime::from_secs_f64(-0.25)
                .fmt(Format::EpochSeconds)
                .unwrap(),
            "-0.25"
        );
        let parsed = DateTime::from_str("2024-01-02T04:04:05.123+01:00", Format::DateTime).unwrap();
        assert_eq!(
            parsed,
            DateTime::from_secs_and_nanos(1_704_164_645, 123_000_000)
        );
    }

    #[test]
    fn bad_text_is_an_error() {
        assert!(DateTime::from_str("yesterday", Format::DateTime).is_err());
        assert!(DateTime::from_str("2024-01-02", Format::HttpDate).is_err());
        assert!(DateTime::from_str("NaN", Format::EpochSeconds).is_err());
    }

    #[test]
    fn text_forms_as_aws_smithy_types_reads_and_writes_them() {
        // The cases of aws-smithy-types 1.9.3's `http_date::parse` docs: at
        // most milliseconds after the seconds.
        let ms = DateTime::from_str("Mon, 16 Dec 2019 23:48:18.123 GMT", Format::HttpDate).unwrap();
        assert_eq!(
            ms,
            DateTime::from_secs_and_nanos(1_576_540_098, 123_000_000)
        );
        assert!(
            DateTime::from_str("Mon, 16 Dec 2019 23:48:18.1234 GMT", Format::HttpDate).is_err()
        );
        assert!(DateTime::from_str("Monday, 16-Dec-19 23:48:18 GMT", Format::HttpDate).is_err());
        // Written without the fraction, as in the SDK.
        assert_eq!(
            ms.fmt(Format::HttpDate).unwrap(),
            "Mon, 16 Dec 2019 23:48:18 GMT"
        );
        // Date-times keep nanoseconds both ways, and read offsets.
        let t = DateTime::from_secs_and_nanos(1_576_540_098, 123_456_789);
        assert_eq!(
            t.fmt(Format::DateTime).unwrap(),
            "2019-12-16T23:48:18.123456789Z"
        );
        assert_eq!(
            DateTime::from_str(&t.fmt(Format::DateTime).unwrap(), Format::DateTime).unwrap(),
            t
        );
        assert_eq!(
            DateTime::from_str("2019-12-17T00:48:18.123456789+01:00", Format::DateTime).unwrap(),
            t
        );
        // 0001-01-01T00:00:00Z is the first instant the text forms hold.
        let first = DateTime::from_secs(-62_135_596_800);
        assert_eq!(first.fmt(Format::DateTime).unwrap(), "0001-01-01T00:00:00Z");
        assert_eq!(
            first.fmt(Format::HttpDate).unwrap(),
            "Mon, 01 Jan 0001 00:00:00 GMT"
        );
        let before = DateTime::from_secs(-62_135_596_801);
        assert!(before.fmt(Format::DateTime).is_err());
        assert!(before.fmt(Format::HttpDate).is_err());
    }

    #[test]
    fn system_time_round_trip() {
        let t = DateTime::from_secs_and_nanos(-5, 250);
        assert_eq!(DateTime::from(SystemTime::try_from(t).unwrap()), t);
        let t = DateTime::from_secs_and_nanos(5, 250);
        assert_eq!(DateTime::from(SystemTime::try_from(t).unwrap()), t);
        // The extremes convert or fail; they do not panic (as `From` did).
        for secs in [i64::MAX, i64::MIN, i64::MIN + 1] {
            let t = DateTime::from_secs_and_nanos(secs, 999_999_999);
            if let Ok(st) = SystemTime::try_from(t) {
                assert_eq!(DateTime::from(st), t);
            }
        }
    }

    #[test]
    fn millis_and_nanos_as_aws_smithy_types() {
        // Cases from aws-smithy-types 1.9.3's DateTime tests (EPOCH_MILLIS_TEST_CASES).
        let cases = [
            (-1_627_680_004_123_i64, -1_627_680_005_i64, 877_000_000_u32),
            (i64::MAX, 9_223_372_036_854_775, 807_000_000),
            (i64::MIN, -9_223_372_036_854_776, 192_000_000),
        ];
        for (millis, secs, nanos) in cases {
            let t = DateTime::from_millis(millis);
            assert_eq!((t.secs(), t.subsec_nanos()), (secs, nanos), "{millis}");
            assert_eq!(
                DateTime::from_secs_and_nanos(secs, nanos).to_millis(),
                Ok(millis)
            );
        }
        assert!(DateTime::from_secs(i64::MAX).to_millis().is_err());
        let n = DateTime::from_nanos(-1_500_000_000).unwrap();
        assert_eq!(
            (n.secs(), n.subsec_nanos(), n.as_nanos()),
            (-2, 500_000_000, -1_500_000_000)
        );
        assert!(n.has_subsec_nanos() && !DateTime::from_secs(1).has_subsec_nanos());
    }

    /// A deterministic stream of numbers for generated inputs (xorshift64).
    struct Numbers(u64);

    impl Numbers {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        /// A number in `lo..=hi`.
        fn between(&mut self, lo: i64, hi: i64) -> i64 {
            lo + (self.next() % (hi - lo + 1) as u64) as i64
        }
    }

    fn parts(t: aws_smithy_types::DateTime) -> (i64, u32) {
        (t.secs(), t.subsec_nanos())
    }

    #[test]
    fn from_fractional_secs_as_aws_smithy_types() {
        // The oracle: aws-smithy-types 1.9.3's own function, on every input
        // it takes without panicking.
        let mut numbers = Numbers(0x5eed_f00d);
        let mut fractions = vec![
            0.0,
            -0.0,
            0.5,
            0.52,
            1e-10,
            0.123_456_789_5,
            0.999_999_999,
            0.999_999_999_9,
            // A whole second: carried into the seconds.
            1.0,
            -0.5,
            -1e300,
            f64::NAN,
            f64::NEG_INFINITY,
        ];
        fractions.extend((0..2000).map(|_| (numbers.next() >> 11) as f64 / (1u64 << 53) as f64));
        let mut seconds = vec![
            0,
            1,
            -1,
            1_576_540_098,
            -62_135_596_800,
            i64::MAX - 1,
            i64::MIN,
        ];
        seconds.extend((0..50).map(|_| numbers.next() as i64));
        for &secs in &seconds {
            for &fraction in &fractions {
                let ours = DateTime::from_fractional_secs(secs, fraction);
                let theirs = aws_smithy_types::DateTime::from_fractional_secs(secs, fraction);
                assert_eq!(
                    (ours.secs(), ours.subsec_nanos()),
                    parts(theirs),
                    "from_fractional_secs({secs}, {fraction:?})"
                );
            }
        }
        // The SDK's doc example.
        assert_eq!(
            DateTime::from_fractional_secs(1, 0.5),
            DateTime::from_secs_and_nanos(1, 500_000_000)
        );
        // Where aws-smithy-types panics, ours carries over (and saturates).
        assert_eq!(
            DateTime::from_fractional_secs(1, 1.5),
            DateTime::from_secs_and_nanos(2, 500_000_000)
        );
        assert_eq!(
            DateTime::from_fractional_secs(0, f64::INFINITY),
            DateTime::from_secs_and_nanos(4, 294_967_295)
        );
        assert_eq!(
            DateTime::from_fractional_secs(i64::MAX, 1.0),
            DateTime::from_secs(i64::MAX)
        );
    }

    const FORMATS: [(Format, SmithyFormat); 4] = [
        (Format::DateTime, SmithyFormat::DateTime),
        (Format::DateTimeWithOffset, SmithyFormat::DateTimeWithOffset),
        (Format::HttpDate, SmithyFormat::HttpDate),
        (Format::EpochSeconds, SmithyFormat::EpochSeconds),
    ];

    /// `DateTime::read` of `text` is aws-smithy-types' in every format.
    fn read_as_aws_smithy_types(text: &str, delim: char) {
        for (ours_format, smithy_format) in FORMATS {
            let ours = DateTime::read(text, ours_format, delim);
            let theirs = aws_smithy_types::DateTime::read(text, smithy_format, delim);
            match (ours, theirs) {
                (Ok((t, rest)), Ok((u, their_rest))) => assert_eq!(
                    ((t.secs(), t.subsec_nanos()), rest),
                    (parts(u), their_rest),
                    "read({text:?}, {ours_format:?}, {delim:?})"
                ),
                (Err(_), Err(_)) => {}
                (ours, theirs) => panic!(
                    "read({text:?}, {ours_format:?}, {delim:?}): ours {ours:?}, aws-smithy-types {theirs:?}"
                ),
            }
        }
    }

    #[test]
    fn read_as_aws_smithy_types_reads() {
        // Lists of timestamps written by aws-smithy-types, joined by a
        // delimiter; every prefix, every suffix and every one-byte change
        // of them, read in every format with two delimiters.
        let mut numbers = Numbers(0xda7e_0001);
        let mut texts = vec![
            "2019-12-16T23:48:18+01:00".to_owned(),
            "2019-12-16T23:48:18+01:00,1985-04-12T23:20:50Z".to_owned(),
            "1985-04-12t23:20:50.52z,1985-04-12T23:20:50Z".to_owned(),
            "Mon, 16 Dec 2019 23:48:18.123 GMT, Tue, 17 Dec 2019 23:48:18 GMT".to_owned(),
            "1576540098.52,-1.5,+3,1e3, 7".to_owned(),
            "1576540098.1234567891".to_owned(),
        ];
        for _ in 0..8 {
            let times: Vec<aws_smithy_types::DateTime> = (0..3)
                .map(|_| {
                    let secs = numbers.between(-62_135_596_800, 253_402_300_799);
                    let nanos = match numbers.next() % 3 {
                        0 => 0,
                        1 => (numbers.next() % 1000) as u32 * 1_000_000,
                        _ => (numbers.next() % 1_000_000_000) as u32,
                    };
                    aws_smithy_types::DateTime::from_secs_and_nanos(secs, nanos)
                })
                .collect();
            for (_, format) in FORMATS {
                for delim in [",", ", ", " "] {
                    let written: Vec<String> =
                        times.iter().map(|t| t.fmt(format).unwrap()).collect();
                    texts.push(written.join(delim));
                }
            }
        }
        let mut cases = 0;
        for text in &texts {
            let mut variants = vec![text.clone()];
            for (i, _) in text.char_indices() {
                variants.push(text[..i].to_owned());
                variants.push(text[i..].to_owned());
                for replacement in ["x", "Z", ",", " "] {
                    let mut changed = text.clone();
                    changed.replace_range(i..i + 1, replacement);
                    variants.push(changed);
                }
            }
            for variant in &variants {
                for delim in [',', ' '] {
                    read_as_aws_smithy_types(variant, delim);
                    cases += 1;
                }
            }
        }
        assert!(cases > 10_000, "{cases}");
        // Reading on from the rest gives each timestamp of a list.
        let list = "Mon, 16 Dec 2019 23:48:18 GMT,Tue, 17 Dec 2019 23:48:18 GMT";
        let (first, rest) = DateTime::read(list, Format::HttpDate, ',').unwrap();
        let (second, rest) = DateTime::read(rest, Format::HttpDate, ',').unwrap();
        assert_eq!(
            (first.secs(), second.secs() - first.secs(), rest),
            (1_576_540_098, 86_400, "")
        );
    }

    #[test]
    fn read_skips_a_delimiter_outside_ascii_whole() {
        // aws-smithy-types panics here (it skips one byte of the delimiter).
        let (t, rest) = DateTime::read("1.5é2", Format::EpochSeconds, 'é').unwrap();
        assert_eq!(
            (t, rest),
            (DateTime::from_secs_and_nanos(1, 500_000_000), "2")
        );
        let (t, rest) = DateTime::read("1985-04-12T23:20:50Zé", Format::DateTime, 'é').unwrap();
        assert_eq!((t.secs(), rest), (482_196_050, ""));
        assert!(DateTime::read("1985-04-12T23:20:50Zx", Format::DateTime, 'é').is_err());
    }
}
