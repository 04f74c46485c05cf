/// A day of the week, Monday first as in Vietnam (Thứ Hai … Chủ nhật).
public enum Weekday: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case monday = "mon", tuesday = "tue", wednesday = "wed", thursday = "thu", friday = "fri", saturday = "sat",
        sunday = "sun"

    /// 1 for Monday … 7 for Sunday.
    public var number: Int { Weekday.allCases.firstIndex(of: self)! + 1 }

    /// True from Monday to Friday.
    public var isWorkingDay: Bool { self != .saturday && self != .sunday }

    /// The name a commune user reads: "Thứ Hai" … "Chủ nhật".
    public var vietnameseName: String {
        switch self {
        case .monday: "Thứ Hai"
        case .tuesday: "Thứ Ba"
        case .wednesday: "Thứ Tư"
        case .thursday: "Thứ Năm"
        case .friday: "Thứ Sáu"
        case .saturday: "Thứ Bảy"
        case .sunday: "Chủ nhật"
        }
    }

    /// The short Vietnamese form used in tables: T2 … T7, CN.
    public var vietnameseShort: String { self == .sunday ? "CN" : "T\(number + 1)" }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.number < rhs.number }
}
