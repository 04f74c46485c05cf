/// A commune's broadcast calendar, as the culture officer writes it in
/// `Schedules/*.yaml`: the site's settings, its hamlets and groups, and the
/// programmes to air.
///
/// Values are checked when a file is read (`LoaScheduleFiles`); this type only
/// holds what was read. Ids are unique within their list.
public struct BroadcastSchedule: Sendable, Equatable, Codable {
    public var site: SiteSettings
    /// The hamlets, in the order the file lists them.
    public var hamlets: [ScheduleHamlet]
    /// Named groups of hamlets a programme can target.
    public var groups: [HamletGroup]
    /// What to air, in file order; that order breaks ties inside a slot.
    public var programmes: [Programme]
    /// What the hamlets' notice boards show, in file order.
    public var notices: [Notice]

    public init(
        site: SiteSettings, hamlets: [ScheduleHamlet], groups: [HamletGroup] = [], programmes: [Programme],
        notices: [Notice] = []
    ) {
        self.site = site
        self.hamlets = hamlets
        self.groups = groups
        self.programmes = programmes
        self.notices = notices
    }

    private enum CodingKeys: String, CodingKey { case site, hamlets, groups, programmes, notices }

    /// Reads a schedule; versions stored before notices existed have none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        site = try container.decode(SiteSettings.self, forKey: .site)
        hamlets = try container.decode([ScheduleHamlet].self, forKey: .hamlets)
        groups = try container.decode([HamletGroup].self, forKey: .groups)
        programmes = try container.decode([Programme].self, forKey: .programmes)
        notices = try container.decodeIfPresent([Notice].self, forKey: .notices) ?? []
    }

    /// The hamlet ids a programme airs in, in hamlet order.
    public func hamletIDs(of targets: Targets) -> [String] {
        switch targets {
        case .all:
            return hamlets.map(\.id)
        case .groups(let names):
            let members = Set(groups.filter { names.contains($0.id) }.flatMap(\.hamlets))
            return hamlets.map(\.id).filter { members.contains($0) }
        case .hamlets(let ids):
            let wanted = Set(ids)
            return hamlets.map(\.id).filter { wanted.contains($0) }
        }
    }

    /// The slot with this id.
    public func slot(_ id: String) -> BroadcastSlot? { site.slots.first { $0.id == id } }
}

/// A hamlet in a schedule file, with the receivers (device ids) installed there.
public struct ScheduleHamlet: Sendable, Equatable, Codable {
    /// Topic-safe id, e.g. `thon-dong`.
    public var id: String
    /// Its name with diacritics, e.g. "Thôn Đông".
    public var name: String
    /// Device ids of its loudspeaker clusters and boards.
    public var receivers: [String]

    public init(id: String, name: String, receivers: [String] = []) {
        self.id = id
        self.name = name
        self.receivers = receivers
    }

    /// The hamlet as the rest of Loa knows it.
    public var hamlet: Hamlet { Hamlet(id: id, name: name) }
}

/// A named set of hamlets, e.g. the riverside hamlets for flood warnings.
public struct HamletGroup: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var hamlets: [String]

    public init(id: String, name: String, hamlets: [String]) {
        self.id = id
        self.name = name
        self.hamlets = hamlets
    }
}
