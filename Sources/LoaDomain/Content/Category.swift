/// What an announcement is about; reports are grouped by it.
public enum Category: String, Sendable, Codable, CaseIterable {
    /// Propaganda for the "friendly government" model and other campaigns (tuyên truyền).
    case propaganda
    /// Notices of dialogue conferences and meetings (hội nghị đối thoại).
    case dialogue
    /// Public disclosure under Law 10/2022/QH15 (công khai).
    case disclosure
    /// Disaster, fire, epidemic warnings (khẩn cấp).
    case emergency
    /// News and relays of national or provincial programmes (thời sự).
    case news
    /// Anything else (khác).
    case other

    /// The name a commune user reads.
    public var vietnameseName: String {
        switch self {
        case .propaganda: "Tuyên truyền"
        case .dialogue: "Thông báo hội nghị đối thoại"
        case .disclosure: "Công khai"
        case .emergency: "Khẩn cấp"
        case .news: "Thời sự"
        case .other: "Khác"
        }
    }
}

/// Priority classes of MIC Circular 39/2020/TT-BTTTT.
public enum PriorityClass: String, Sendable, Codable, CaseIterable, Comparable {
    /// Aired in the commune's broadcast slots (thông thường).
    case normal
    /// Goes ahead of normal items in a slot (ưu tiên).
    case priority
    /// Airs at once, interrupts everything, ignores quiet hours (khẩn cấp).
    case emergency

    private var rank: Int {
        switch self {
        case .normal: 0
        case .priority: 1
        case .emergency: 2
        }
    }

    public static func < (lhs: PriorityClass, rhs: PriorityClass) -> Bool { lhs.rank < rhs.rank }

    /// The name a commune user reads.
    public var vietnameseName: String {
        switch self {
        case .normal: "Thông thường"
        case .priority: "Ưu tiên"
        case .emergency: "Khẩn cấp"
        }
    }
}
