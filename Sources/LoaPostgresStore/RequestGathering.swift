import Synchronization

/// Requests of many tasks (the communes a process serves), answered together: the
/// first waits ``gathering`` for others, then one task answers batch after batch until
/// none is left; what arrives while a batch is answered goes into the next. A database
/// statement per batch instead of one per request.
final class RequestGathering<Request: Sendable, Answer: Sendable>: Sendable {
    private struct Waiting {
        var request: Request
        var answer: CheckedContinuation<Answer, any Error>
    }

    /// Which of the requests waiting (in arrival order) go into the next batch: their
    /// indices, in order; the others wait for a later one.
    typealias Selection = @Sendable (_ waiting: [Request]) -> [Int]
    /// Answers a batch: one answer per request, in order.
    typealias Answering = @Sendable (_ batch: [Request]) async throws -> [Answer]

    private let gathering: Duration
    /// Requests not answered yet, and whether a task is answering (it answers until none is left).
    private let state = Mutex<(waiting: [Waiting], answering: Bool)>(([], false))

    init(gathering: Duration) {
        self.gathering = gathering
    }

    /// `request`'s answer, in the batch it joins. Every request of one gathering passes
    /// the same `select` and `answer` (the first one's answer the batches).
    func submit(
        _ request: Request, select: @escaping Selection = { Array($0.indices) }, answer: @escaping Answering
    ) async throws -> Answer {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Answer, any Error>) in
            let startAnswering = state.withLock { state in
                state.waiting.append(Waiting(request: request, answer: continuation))
                defer { state.answering = true }
                return !state.answering
            }
            // Unstructured: a batch answers every request in it, whichever requester is cancelled.
            if startAnswering { Task { await answerUntilNoneWaits(select: select, answer: answer) } }
        }
    }

    private func answerUntilNoneWaits(select: Selection, answer: Answering) async {
        try? await Task.sleep(for: gathering)
        while true {
            let batch = state.withLock { state in
                var chosen = select(state.waiting.map(\.request))
                if chosen.isEmpty, !state.waiting.isEmpty { chosen = [0] }  // never leave a request waiting with none answering
                let batch = chosen.map { state.waiting[$0] }
                let taken = Set(chosen)
                state.waiting = state.waiting.indices.filter { !taken.contains($0) }.map { state.waiting[$0] }
                if batch.isEmpty { state.answering = false }
                return batch
            }
            if batch.isEmpty { return }
            do {
                let answers = try await answer(batch.map(\.request))
                precondition(answers.count == batch.count, "one answer per request")
                for (waiting, answer) in zip(batch, answers) { waiting.answer.resume(returning: answer) }
            } catch {
                for waiting in batch { waiting.answer.resume(throwing: error) }
            }
        }
    }
}
