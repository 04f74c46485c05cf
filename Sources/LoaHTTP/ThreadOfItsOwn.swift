import Dispatch

/// Runs blocking `work` (reads and writes that wait in `poll`) on a thread of its own and
/// awaits its result.
///
/// A queue of its own, not a global one: its thread is made for it. Swift's shared threads
/// and Dispatch's global queues keep to a thread per core and do not see a thread blocked
/// in `poll`, so a few long exchanges there would hold up every other one.
func onThreadOfItsOwn<Result: Sendable>(_ label: String, _ work: @escaping @Sendable () -> Result) async -> Result {
    await withCheckedContinuation { answer in
        DispatchQueue(label: label).async { answer.resume(returning: work()) }
    }
}
