import Foundation
import Testing

@testable import LoaReceiver

/// A relay's course on the receiver: which URL comes next, how gaps are numbered and
/// counted, when to wait before another round.
@Suite("A relay's failover and gaps")
struct RelayAiringTests {
    let start = Date(timeIntervalSince1970: 1_796_500_000)

    @Test("the first sound starts the relay; a gap opens once and is numbered; sound again closes it")
    func gapsAreNumbered() {
        var relay = RelayAiring(urls: ["http://a/x.mp3", "http://b/x.mp3"])
        #expect(relay.gapBegins(at: start) == nil, "no gap before the first sound")
        let first = relay.sounded()
        #expect(first == nil && relay.started, "the first sound starts it: no gap to end")
        #expect(relay.gapBegins(at: start.addingTimeInterval(5)) == 1)
        #expect(relay.gapBegins(at: start.addingTimeInterval(6)) == nil, "one gap at a time")
        #expect(relay.silentFor(now: start.addingTimeInterval(8), since: start) == 3)
        let back = relay.sounded(), more = relay.sounded()
        #expect(back == .some(.some(1)), "sound again ends gap 1")
        #expect(more == .some(.none), "more sound ends no gap")
        #expect(relay.gapBegins(at: start.addingTimeInterval(20)) == 2)
        #expect(relay.summary?.contains("2 lần gián đoạn") == true)
    }

    @Test("an attempt that sounds nothing moves to the next URL, and after the last to the first; a failed round waits")
    func failover() {
        var relay = RelayAiring(urls: ["http://a/x.mp3", "http://b/x.mp3"])
        #expect(relay.url == "http://a/x.mp3")
        relay.attemptFailed(because: "refused with HTTP 404")
        #expect(relay.url == "http://b/x.mp3" && !relay.roundFailed)
        relay.attemptFailed(because: "unreachable")
        #expect(relay.url == "http://a/x.mp3" && relay.roundFailed && relay.lastProblem == "unreachable")
        _ = relay.sounded()
        #expect(!relay.roundFailed, "sound resets the count")
        #expect(relay.silentFor(now: start.addingTimeInterval(9), since: start) == 0, "sounding: no silence")
    }
}
