#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaProtocol
import LoaFiles

/// What a receiver remembers across restarts: the last schedule document it
/// accepted and the items it has finished with (played, missed or failed),
/// so it neither plays an item twice nor forgets what it must play while offline;
/// and, on a notice board, what it has reported of each notice's display.
struct ReceiverMemory: Codable {
    var schedule: ZoneSchedule?
    var done: Set<String> = []
    /// Items reported `received` (optional, so older files still load): one missed after
    /// a restart was known in time, and the receiver was not running at its instant.
    var received: Set<String>?
    /// Proof of display so far (optional, so files written before boards still load).
    var displays: DisplayLedger?

    /// Reads the memory file, or starts empty when there is none.
    static func load(from url: URL) -> ReceiverMemory {
        guard let data = try? Data(contentsOf: url),
            let memory = try? WireCoding.decode(ReceiverMemory.self, from: data)
        else { return ReceiverMemory() }
        return memory
    }

    /// Writes the file durably (`DurableFile`): the old memory or the new, never half.
    func save(to url: URL) throws {
        try DurableFile.write(WireCoding.encode(self), to: url)
    }

    /// Forgets finished items that are no longer in the document, so the set does not grow forever.
    mutating func prune() {
        guard let schedule else { return }
        let listed = Set(schedule.items.map(\.id))
        done.formIntersection(listed)
        received?.formIntersection(listed)
    }
}
