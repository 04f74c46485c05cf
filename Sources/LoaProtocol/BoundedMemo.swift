import Synchronization

/// Values worked out once and remembered by key, at most `capacity` of them, forgotten all
/// at once when full (what is asked again comes back after one miss): for values that are
/// a function of their key alone (a digest of bytes, a file's chunk hashes by its SHA-256).
package final class BoundedMemo<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let capacity: Int
    private let values = Mutex<[Key: Value]>([:])

    package init(capacity: Int) { self.capacity = capacity }

    /// The value remembered for `key`, or `make`'s, remembered from now on. `make` runs
    /// outside the lock (two callers at once may both run it); a nil is not remembered.
    package func value(for key: Key, make: () -> Value?) -> Value? {
        if let known = values.withLock({ $0[key] }) { return known }
        guard let value = make() else { return nil }
        values.withLock { values in
            if values.count >= capacity { values.removeAll(keepingCapacity: true) }
            values[key] = value
        }
        return value
    }
}
