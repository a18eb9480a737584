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

/// How a timestamp is written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// RFC 3339 (`2024-01-02T03:04:05Z`, fractional seconds when present).
    DateTime,
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

    /// Seconds and nanoseconds since the epoch; `nanos` past a second carry over.
    pub fn from_secs_and_nanos(secs: i64, nanos: u32) -> Self {
        DateTime {
            secs: secs + i64::from(nanos / 1_000_000_000),
            nanos: nanos % 1_000_000_000,
        }
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
            Format::DateTime => {
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
            Format::DateTime => {
                aws_smithy_types::DateTime::from_str(text, SmithyFormat::DateTimeWithOffset)
                    .map(Self::from_smithy)
                    .map_err(|e| {
                        err(format!(
                            "`{}` is not an RFC 3339 date-time: {e}",
                            crate::shown::shown(text)
                        ))
                    })
            }
            Format::HttpDate => aws_smithy_types::DateTime::from_str(text, SmithyFormat::HttpDate)
                .map(Self::from_smithy)
                .map_err(|e| {
                    err(format!(
                        "`{}` is not an HTTP date: {e}",
                        crate::shown::shown(text)
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
}
