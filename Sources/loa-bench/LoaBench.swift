import ArgumentParser

/// `loa-bench`: measurements that print their figures (never timed unit tests).
@main
struct LoaBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loa-bench", abstract: "Loa benchmarks: each prints a table and JSON.",
        subcommands: [StartOffsetBenchmark.self, IngestBenchmark.self, FanoutBenchmark.self, FleetWorker.self, ProvinceBenchmark.self,
            ProvinceWorker.self, StartAccuracyBenchmark.self, ReceiverFootprintBenchmark.self, PlanBenchmark.self, SpeechBenchmark.self, SpeakersInStepBenchmark.self, ProofOfSoundBenchmark.self, RelayBenchmark.self, LiveBenchmark.self,
            LateMediaBenchmark.self])
}
