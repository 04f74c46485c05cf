public import Foundation
public import LoaController
import LoaConsole
import Synchronization

/// A controller (`ControllerApp`) running in a task of this process, until `stop()`.
public final class InProcessController: Sendable {
    public let controller: Controller
    /// The HTTP port it bound.
    public let httpPort: Int
    private let running: GracefullyStoppedTask<Void>

    /// Starts the controller and waits until it serves HTTP.
    /// - Parameters:
    ///   - clock: the controller's time source.
    public init(configuration: ControllerConfiguration, clock: @escaping @Sendable () -> Date = { Date() }) async throws {
        let (ready, readyContinuation) = AsyncStream.makeStream(of: (Controller, Int).self)
        running = GracefullyStoppedTask {
            defer { readyContinuation.finish() }
            try await ControllerApp.run(
                configuration: configuration,
                onReady: { controller, port in readyContinuation.yield((controller, port)) },
                clock: clock, extraRoutes: WebConsole.routes)
        }
        var iterator = ready.makeAsyncIterator()
        guard let (controller, port) = await iterator.next() else {
            _ = try await running.value
            throw InProcessControllerError.didNotStart
        }
        self.controller = controller
        httpPort = port
    }

    /// Stops it as SIGTERM would (a graceful shutdown) and waits until it has.
    public func stop() async {
        await running.stop()
    }

    enum InProcessControllerError: Error { case didNotStart }
}

/// A clock a test sets by hand.
public final class TestClock: Sendable {
    private let current: Mutex<Date>

    public init(_ start: Date) { current = Mutex(start) }

    /// The time it shows.
    public var now: Date { current.withLock { $0 } }

    /// Sets the time it shows.
    public func set(_ date: Date) { current.withLock { $0 = date } }

    /// The clock as the closure Loa's parts take.
    public var function: @Sendable () -> Date { { self.now } }
}
