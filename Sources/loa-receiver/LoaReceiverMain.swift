import Dispatch
import LoaReceiverProcess

#if canImport(Glibc)
import Glibc
#endif

/// `loa-receiver`: a hamlet device's own binary. It links the receiver alone (no
/// controller, console, reports or PostgreSQL), for the small boards in the hamlets.
@main
struct LoaReceiverMain {
    /// Runs the receiver on Swift's concurrency pool while the main thread waits for it.
    /// Not an `async` main: Swift would park the main thread in `dispatch_main()`, which
    /// ends it with `pthread_exit`, and that unwinds its stack through the binary's unwind
    /// tables, leaving about 0.5 MiB of them resident for the life of the process
    /// (docs/receiver-devices.md, "Measured"). Nothing here runs on the main actor, so
    /// the work is detached from it (`main` is isolated to it, and its thread waits).
    static func main() {
        let finished = DispatchSemaphore(value: 0)
        Task.detached {
            await run()
            finished.signal()
        }
        finished.wait()
    }

    static func run() async {
        let request: ReceiverArguments.Request
        do {
            request = try ReceiverArguments.parse(Array(CommandLine.arguments.dropFirst()))
        } catch {
            printToStandardError("Lỗi (error): \(error)\n\n\(ReceiverArguments.usage)")
            exit(64)  // EX_USAGE
        }
        switch request {
        case .help:
            print(ReceiverArguments.usage)
        case .run(let arguments):
            do {
                try await ReceiverProcess.run(config: arguments.config, logFormat: arguments.logFormat)
            } catch {
                printToStandardError("Lỗi (error): \(error)")
                exit(1)
            }
        }
    }

    static func printToStandardError(_ text: String) {
        var line = text + "\n"
        line.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
