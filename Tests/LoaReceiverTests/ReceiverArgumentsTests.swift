import LoaLogging
import LoaReceiverProcess
import Testing

@Suite("loa-receiver's command line")
struct ReceiverArgumentsTests {
    @Test("the settings file and log format, in each spelling; help")
    func accepted() throws {
        let json = ReceiverArguments.Request.run(ReceiverArguments(config: "/etc/loa/receiver.json", logFormat: .json))
        #expect(try ReceiverArguments.parse(["--config", "/etc/loa/receiver.json", "--log-format", "json"]) == json)
        #expect(try ReceiverArguments.parse(["--log-format=json", "-c", "/etc/loa/receiver.json"]) == json)
        #expect(try ReceiverArguments.parse(["--config=/etc/loa/receiver.json", "--log-format", "json"]) == json)
        #expect(try ReceiverArguments.parse(["-c", "r.json"]) == .run(ReceiverArguments(config: "r.json", logFormat: .text)))
        #expect(try ReceiverArguments.parse(["--help"]) == .help)
        #expect(try ReceiverArguments.parse(["-c", "r.json", "-h"]) == .help)
    }

    @Test("what is missing, wrong or unknown is refused, naming the argument")
    func refused() {
        #expect(throws: ReceiverArgumentsError.missingValue("--config")) { try ReceiverArguments.parse([]) }
        #expect(throws: ReceiverArgumentsError.missingValue("--config")) { try ReceiverArguments.parse(["--config"]) }
        #expect(throws: ReceiverArgumentsError.missingValue("--config")) { try ReceiverArguments.parse(["--config", "--log-format", "json"]) }
        #expect(throws: ReceiverArgumentsError.missingValue("--config")) { try ReceiverArguments.parse(["--config="]) }
        #expect(throws: ReceiverArgumentsError.badValue("--log-format", "xml", expected: "text or json")) {
            try ReceiverArguments.parse(["-c", "r.json", "--log-format", "xml"])
        }
        #expect(throws: ReceiverArgumentsError.unknown("--verbose")) { try ReceiverArguments.parse(["-c", "r.json", "--verbose"]) }
        #expect(throws: ReceiverArgumentsError.unknown("r.json")) { try ReceiverArguments.parse(["r.json"]) }
        #expect(ReceiverArgumentsError.unknown("--verbose").description.contains("không hiểu tham số '--verbose'"))
    }
}
