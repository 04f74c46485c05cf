public import Foundation
public import LoaReceiver
import Synchronization

/// Hamlet documents a test serves to a receiver over "HTTP" without a controller: the
/// signed envelope it was given for each hamlet (genuine, forged or old, to test the
/// receiver's checks). It counts the fetches.
public final class ServedDocuments: ScheduleDocumentSource {
    private let state = Mutex<(documents: [String: Data], fetches: Int)>(([:], 0))

    public init() {}

    /// Serves `sealed` as `hamlet`'s latest document.
    public func serve(_ sealed: Data, hamlet: String) { state.withLock { $0.documents[hamlet] = sealed } }

    /// How many times a document was asked for.
    public var fetches: Int { state.withLock { $0.fetches } }

    public func latestDocument(hamlet: String) async throws -> Data? {
        state.withLock { state in
            state.fetches += 1
            return state.documents[hamlet]
        }
    }
}
