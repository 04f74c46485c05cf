/// What `fanout` reads before and after each phase: CPU seconds of the broker, of
/// the controller process and of the fleet workers, and the workers' loop counters.
struct PhaseMeters: Sendable {
    let brokerPID: Int32
    let controllerPID: Int32
    let fleet: FleetWorkers

    struct Reading {
        var broker: Double
        var controller: Double
        var fleet: Double
        var loops: FleetWorkers.LoopFigures

        static func - (lhs: Reading, rhs: Reading) -> Reading {
            Reading(
                broker: lhs.broker - rhs.broker, controller: lhs.controller - rhs.controller,
                fleet: lhs.fleet - rhs.fleet, loops: lhs.loops - rhs.loops)
        }

        /// Writes these figures (used during a phase) into `phase`.
        func fill(_ phase: inout FanoutBenchmark.PhaseFigure) {
            phase.brokerCPUSeconds = broker
            phase.controllerCPUSeconds = controller
            phase.fleetCPUSeconds = fleet
            phase.loopTurns = loops.turns
            phase.loopSocketsReady = loops.ready
            phase.loopCPUSeconds = loops.loopCPUSeconds
        }
    }

    func read() async throws -> Reading {
        let loops = try await fleet.loopFigures()
        return Reading(
            broker: ProcessSample.cpuSeconds(pid: brokerPID) ?? 0,
            controller: ProcessSample.cpuSeconds(pid: controllerPID) ?? 0,
            fleet: fleet.processIDs.map { ProcessSample.cpuSeconds(pid: $0) ?? 0 }.reduce(0, +),
            loops: loops)
    }
}
