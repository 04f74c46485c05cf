public import Foundation
import Synchronization

/// Starts child processes one at a time in this process.
///
/// `Foundation.Process.run()` on Linux (swift-corelibs-foundation) is not safe to call
/// from several threads at once: a controller serving 200 communes, each reading the
/// province's warning aloud with eSpeak NG at the same moment, crashed inside it
/// (a bad pointer in `memcpy`). Launching takes a millisecond; waiting for the child
/// is not serialised.
public enum ProcessLaunch {
    private static let launching = Mutex(())

    /// `process.run()`, alone.
    public static func run(_ process: Process) throws {
        try launching.withLock { _ in try process.run() }
    }
}
