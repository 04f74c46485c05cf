public import LoaDomain

/// Why the controller did not believe an event a device sent. Each is counted per
/// device (the device's health, `loa_device_events_refused_total`) and the message
/// is kept as evidence outside the transparency log.
public enum EventRefusal: String, Sendable, CaseIterable, Comparable {
    /// Not an event: not JSON of the event format, or larger than the message limit.
    case malformed
    /// A field is empty where it may not be, or longer than its limit (`DeviceEvent.Limits`).
    case oversized
    /// It names another device than the one on whose topic it came.
    case wrongDevice = "wrong-device"
    /// It names another site.
    case wrongSite = "wrong-site"
    /// It names a hamlet that is not the device's (by the registry) or not the site's.
    case wrongHamlet = "wrong-hamlet"
    /// It is about an item the controller never sent to that hamlet.
    case unknownItem = "unknown-item"
    /// A board's kind of event about an airing, or an airing's kind about a notice.
    case wrongKind = "wrong-kind"
    /// An instant the device cannot have seen: in the future, before the item was sent,
    /// or before the airing's instant.
    case implausibleTime = "implausible-time"
    /// A figure the item does not allow: a negative or longer-than-the-audio `playedMs`,
    /// a start offset beyond the clock tolerance.
    case implausibleFigure = "implausible-figure"

    /// In words for the console.
    public var description: LocalizedText {
        switch self {
        case .malformed: LocalizedText(vi: "không đọc được", en: "unreadable")
        case .oversized: LocalizedText(vi: "trường trống hoặc quá dài", en: "a field empty or too long")
        case .wrongDevice: LocalizedText(vi: "nhân danh thiết bị khác", en: "in another device's name")
        case .wrongSite: LocalizedText(vi: "sai xã", en: "wrong commune")
        case .wrongHamlet: LocalizedText(vi: "sai thôn", en: "wrong hamlet")
        case .unknownItem: LocalizedText(vi: "bản tin chưa từng gửi tới thôn", en: "an item never sent to the hamlet")
        case .wrongKind: LocalizedText(vi: "sai loại sự kiện", en: "wrong kind of event")
        case .implausibleTime: LocalizedText(vi: "thời điểm không thể có", en: "an impossible instant")
        case .implausibleFigure: LocalizedText(vi: "số liệu không thể có", en: "an impossible figure")
        }
    }

    public static func < (lhs: EventRefusal, rhs: EventRefusal) -> Bool { lhs.rawValue < rhs.rawValue }
}
