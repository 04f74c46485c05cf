public import Foundation

/// The verdict of `LogVerifier`: what was checked and every mismatch found.
public struct LogVerificationReport: Sendable, Equatable {
    /// The number of rows checked.
    public var entries: UInt64
    /// The recomputed root of all rows.
    public var root: Data
    /// The stored chain hash of the last row.
    public var chainHead: Data
    /// The checkpoints whose signatures were accepted, by size (duplicates removed).
    public var checkpoints: [Checkpoint]
    /// Rows beyond the largest accepted checkpoint: chained, but not yet signed for.
    public var uncovered: UInt64
    /// The mismatches found, in the order found (at most `LogVerifier.maximumProblemsKept`).
    public var problems: [LogProblem]
    /// How many mismatches were found in all.
    public var problemCount: Int

    /// A verdict from its parts.
    public init(entries: UInt64, root: Data, chainHead: Data, checkpoints: [Checkpoint], uncovered: UInt64,
                problems: [LogProblem], problemCount: Int) {
        self.entries = entries
        self.root = root
        self.chainHead = chainHead
        self.checkpoints = checkpoints
        self.uncovered = uncovered
        self.problems = problems
        self.problemCount = problemCount
    }

    /// True when nothing was found wrong.
    public var isIntact: Bool { problemCount == 0 }

    /// The first entry that does not match: the problem naming the lowest entry
    /// exactly, else the one whose range starts lowest, else one naming no entry.
    public var firstProblem: LogProblem? {
        problems.enumerated().min { a, b in
            rank(a.element, a.offset) < rank(b.element, b.offset)
        }?.element
    }

    private func rank(_ problem: LogProblem, _ offset: Int) -> (Int, UInt64, Int) {
        guard let entry = problem.entry else { return (2, 0, offset) }
        return (problem.kind.namesEntryExactly ? 0 : 1, entry, offset)
    }

    /// Adds a problem found by a check outside the verifier (e.g. the store's own cross-checks).
    public mutating func add(_ problem: LogProblem) {
        problems.append(problem)
        problemCount += 1
    }

    /// The latest accepted checkpoint.
    public var latestCheckpoint: Checkpoint? { checkpoints.last }
}
