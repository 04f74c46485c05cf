import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM (systemd's stop) and SIGINT (Ctrl-C) as a cancellation: what the device
/// binary needs of a service lifecycle, in a few lines rather than a package and its
/// dependencies (docs/receiver-devices.md).
enum StopSignals {
    /// Runs `work` until it ends or a stop signal arrives, which cancels it; then waits
    /// for it to finish what a cancelled receiver does (say `offline`).
    static func run(_ work: @escaping @Sendable () async throws -> Void) async throws {
        let task = Task { try await work() }
        let sources = [SIGTERM, SIGINT].map { number in
            // Handled by the source below, not by the default action (ending the process at once).
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number)
            source.setEventHandler { task.cancel() }
            source.resume()
            return source
        }
        defer { for source in sources { source.cancel() } }
        try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }
}
