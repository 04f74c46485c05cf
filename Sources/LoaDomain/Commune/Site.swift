/// A commune (xã, phường, đặc khu) running one Loa network.
public struct Site: Sendable, Equatable, Codable {
    /// Topic-safe id, e.g. `xa-tan-hoa`.
    public var id: String
    /// The commune's name as residents write it, e.g. "Xã Tân Hòa".
    public var name: String
    /// IANA time zone of its broadcast calendar.
    public var timeZone: String
    /// Its hamlets (thôn, ấp, tổ dân phố): the zones a broadcast can target.
    public var hamlets: [Hamlet]

    public init(id: String, name: String, timeZone: String = "Asia/Ho_Chi_Minh", hamlets: [Hamlet]) {
        self.id = id
        self.name = name
        self.timeZone = timeZone
        self.hamlets = hamlets
    }

    /// The hamlet with this id, if the site has it.
    public func hamlet(_ id: String) -> Hamlet? { hamlets.first { $0.id == id } }
}

/// A hamlet or residential group: one zone of loudspeakers and notice boards.
public struct Hamlet: Sendable, Equatable, Codable, Hashable {
    /// Topic-safe id, e.g. `thon-1`.
    public var id: String
    /// Its name with diacritics, e.g. "Thôn Đông".
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}
