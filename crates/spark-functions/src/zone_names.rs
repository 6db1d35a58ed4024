//! Time-zone names as Java prints them for Spark's `z` (short) and `zzzz`
//! (full) pattern letters, for the zones people use most (recorded from
//! Spark 4.3 on Java 17). A zone observing daylight time has two names; the
//! daylight one applies while the zone's offset is the larger of its two
//! yearly offsets (which also covers Dublin, whose summer time is its
//! "standard" time in the time-zone database).

/// (zone id, standard full name, daylight full name, standard short, daylight short).
const NAMES: &[(&str, &str, &str, &str, &str)] = &[
    ("America/Los_Angeles", "Pacific Standard Time", "Pacific Daylight Time", "PST", "PDT"),
    ("America/New_York", "Eastern Standard Time", "Eastern Daylight Time", "EST", "EDT"),
    ("America/Toronto", "Eastern Standard Time", "Eastern Daylight Time", "EST", "EDT"),
    ("America/Chicago", "Central Standard Time", "Central Daylight Time", "CST", "CDT"),
    ("America/Mexico_City", "Central Standard Time", "Central Daylight Time", "CST", "CDT"),
    ("America/Denver", "Mountain Standard Time", "Mountain Daylight Time", "MST", "MDT"),
    ("America/Phoenix", "Mountain Standard Time", "Mountain Daylight Time", "MST", "MDT"),
    ("America/Anchorage", "Alaska Standard Time", "Alaska Daylight Time", "AKST", "AKDT"),
    ("Pacific/Honolulu", "Hawaii-Aleutian Standard Time", "Hawaii-Aleutian Daylight Time", "HST", "HDT"),
    ("America/Sao_Paulo", "Brasilia Standard Time", "Brasilia Summer Time", "BRT", "BRST"),
    ("Europe/London", "Greenwich Mean Time", "British Summer Time", "GMT", "BST"),
    ("Europe/Dublin", "Greenwich Mean Time", "Irish Standard Time", "GMT", "IST"),
    ("Europe/Lisbon", "Western European Standard Time", "Western European Summer Time", "WET", "WEST"),
    ("Europe/Paris", "Central European Standard Time", "Central European Summer Time", "CET", "CEST"),
    ("Europe/Berlin", "Central European Standard Time", "Central European Summer Time", "CET", "CEST"),
    ("Europe/Madrid", "Central European Standard Time", "Central European Summer Time", "CET", "CEST"),
    ("Europe/Rome", "Central European Standard Time", "Central European Summer Time", "CET", "CEST"),
    ("Europe/Amsterdam", "Central European Standard Time", "Central European Summer Time", "CET", "CEST"),
    ("Europe/Athens", "Eastern European Standard Time", "Eastern European Summer Time", "EET", "EEST"),
    ("Africa/Cairo", "Eastern European Standard Time", "Eastern European Summer Time", "EET", "EEST"),
    ("Europe/Moscow", "Moscow Standard Time", "Moscow Summer Time", "MSK", "MSD"),
    ("Europe/Istanbul", "Turkey Time", "Turkey Summer Time", "TRT", "TRST"),
    ("Asia/Kolkata", "India Standard Time", "India Daylight Time", "IST", "IDT"),
    ("Asia/Karachi", "Pakistan Standard Time", "Pakistan Summer Time", "PKT", "PKST"),
    ("Asia/Dubai", "Gulf Standard Time", "Gulf Daylight Time", "GST", "GDT"),
    ("Asia/Bangkok", "Indochina Time", "Indochina Summer Time", "ICT", "ICST"),
    ("Asia/Jakarta", "Western Indonesia Time", "Western Indonesia Summer Time", "WIB", "WIST"),
    ("Asia/Singapore", "Singapore Standard Time", "Singapore Summer Time", "SGT", "SGST"),
    ("Asia/Shanghai", "China Standard Time", "China Daylight Time", "CST", "CDT"),
    ("Asia/Hong_Kong", "Hong Kong Standard Time", "Hong Kong Summer Time", "HKT", "HKST"),
    ("Asia/Taipei", "Taipei Standard Time", "Taipei Daylight Time", "CST", "CDT"),
    ("Asia/Manila", "Philippine Standard Time", "Philippine Summer Time", "PST", "PDT"),
    ("Asia/Seoul", "Korean Standard Time", "Korean Daylight Time", "KST", "KDT"),
    ("Asia/Tokyo", "Japan Standard Time", "Japan Daylight Time", "JST", "JDT"),
    ("Australia/Perth", "Australian Western Standard Time", "Australian Western Daylight Time", "AWST", "AWDT"),
    ("Australia/Brisbane", "Australian Eastern Standard Time", "Australian Eastern Daylight Time", "AEST", "AEDT"),
    ("Australia/Sydney", "Australian Eastern Standard Time", "Australian Eastern Daylight Time", "AEST", "AEDT"),
    ("Australia/Melbourne", "Australian Eastern Standard Time", "Australian Eastern Daylight Time", "AEST", "AEDT"),
    ("Pacific/Auckland", "New Zealand Standard Time", "New Zealand Daylight Time", "NZST", "NZDT"),
    ("Africa/Johannesburg", "South Africa Standard Time", "South Africa Summer Time", "SAST", "SAST"),
    ("Africa/Lagos", "West Africa Standard Time", "West Africa Summer Time", "WAT", "WAST"),
    ("UTC", "Coordinated Universal Time", "Coordinated Universal Time", "UTC", "UTC"),
    ("Etc/UTC", "Coordinated Universal Time", "Coordinated Universal Time", "UTC", "UTC"),
    ("Etc/UCT", "Coordinated Universal Time", "Coordinated Universal Time", "UTC", "UTC"),
    ("UCT", "Coordinated Universal Time", "Coordinated Universal Time", "UTC", "UTC"),
    ("Universal", "Coordinated Universal Time", "Coordinated Universal Time", "UTC", "UTC"),
    ("Zulu", "Coordinated Universal Time", "Coordinated Universal Time", "UTC", "UTC"),
    ("Etc/Universal", "Coordinated Universal Time", "Coordinated Universal Time", "UTC", "UTC"),
    ("Etc/Zulu", "Coordinated Universal Time", "Coordinated Universal Time", "UTC", "UTC"),
    ("GMT", "Greenwich Mean Time", "Greenwich Mean Time", "GMT", "GMT"),
    ("Etc/GMT", "Greenwich Mean Time", "Greenwich Mean Time", "GMT", "GMT"),
];

/// The (short, full) names of zone `id` at a time in daylight time or not.
pub fn zone_names(id: &str, daylight: bool) -> Option<(&'static str, &'static str)> {
    let &(_, standard, summer, standard_short, summer_short) = NAMES.iter().find(|(z, ..)| *z == id)?;
    Some(if daylight { (summer_short, summer) } else { (standard_short, standard) })
}
