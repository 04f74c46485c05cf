/// Checks the ids Loa puts into MQTT topics and file names: sites, hamlets, devices.
///
/// An id is 1–64 characters of lowercase ASCII letters, digits and `-` or `_`,
/// starting with a letter or digit (e.g. `xa-tan-hoa`, `thon-1`, `loa-thon1-a`).
/// Vietnamese names live beside ids, in `name` fields, with their diacritics.
public enum Identifier {
    /// Returns nil when `value` is a valid id, otherwise what is wrong with it.
    public static func problem(with value: String) -> String? {
        if value.isEmpty { return "is empty; use lowercase letters, digits and '-', e.g. thon-1" }
        if value.utf8.count > 64 { return "is longer than 64 characters" }
        let allowed = value.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_"
        }
        if !allowed {
            return "'\(value)' may only hold lowercase letters a–z, digits and '-' or '_' (no spaces, diacritics or '/'); e.g. thon-1"
        }
        if value.hasPrefix("-") || value.hasPrefix("_") { return "'\(value)' must start with a letter or digit" }
        return nil
    }

    /// True when `value` is a valid id.
    public static func isValid(_ value: String) -> Bool { problem(with: value) == nil }
}
