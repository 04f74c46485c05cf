public import Foundation
import LoaProtocol

/// One relay programme's window: pulled once from its sources, re-served on one Icecast
/// mount to every hamlet that airs it then.
public struct RelayWindow: Sendable, Equatable {
    public var programme: String
    /// The upstream URLs, in order of preference; none for a live session, whose audio its
    /// speaker sends (`LiveDesk`).
    public var sources: [String]
    public var startAt: Date
    public var endAt: Date
    /// The hamlets that air it in this window.
    public var hamlets: Set<String>
    /// The Icecast mount it is re-served on: `/{site}/{programme}-{start, Unix seconds}.mp3`.
    public var mount: String

    /// A live session: nothing to pull.
    public var isLive: Bool { sources.isEmpty }

    public init(site: String, programme: String, sources: [String], startAt: Date, endAt: Date, hamlets: Set<String>) {
        (self.programme, self.sources, self.startAt, self.endAt, self.hamlets) = (programme, sources, startAt, endAt, hamlets)
        mount = Self.mount(site: site, programme: programme, startAt: startAt)
    }

    /// The mount of `programme`'s window starting at `startAt`.
    public static func mount(site: String, programme: String, startAt: Date) -> String {
        "/\(site)/\(programme)-\(Int(startAt.timeIntervalSince1970.rounded())).mp3"
    }

    /// The relay windows of a round of documents: one per programme and start, with every
    /// hamlet that airs it then.
    static func windows(site: String, in items: [String: [ScheduledItem]], sources: [String: [String]]) -> [RelayWindow] {
        var windows: [String: RelayWindow] = [:]
        for (hamlet, list) in items {
            for item in list {
                guard let stream = item.stream, let upstream = sources[item.announcementId] else { continue }
                let mount = mount(site: site, programme: item.announcementId, startAt: item.startAt)
                windows[mount, default: RelayWindow(
                    site: site, programme: item.announcementId, sources: upstream, startAt: item.startAt, endAt: stream.endAt,
                    hamlets: [])].hamlets.insert(hamlet)
            }
        }
        return windows.values.sorted { ($0.startAt, $0.mount) < ($1.startAt, $1.mount) }
    }
}
