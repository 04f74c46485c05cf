import LoaReceiverProcess

#if canImport(Glibc)
import Glibc
#endif

/// `loa-receiver`: a hamlet device's own binary. It links the receiver alone (no
/// controller, console, reports or PostgreSQL), for the small boards in the hamlets.
@main
struct LoaReceiverMain {
    static func main() async {
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
