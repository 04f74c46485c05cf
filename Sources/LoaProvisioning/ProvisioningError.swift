/// What went wrong while provisioning, in words an operator can act on.
public enum ProvisioningError: Error, Equatable, CustomStringConvertible {
    case badPasswordHash(String)
    case badPasswordLine(Int)
    case badUsername(String)
    case badIdentifier(String, problem: String)
    case unknownDevice(String)
    case alreadyRevoked(String)
    case noBrokerPID(path: String)
    case signalFailed(pid: Int32, errno: Int32)
    case accountInTwoRegistries(String)

    public var description: String {
        switch self {
        case .badPasswordHash(let text): "'\(text)' is not a mosquitto password hash ($7$iterations$salt$hash)"
        case .badPasswordLine(let line): "password file line \(line) is not username:hash"
        case .badUsername(let name): "'\(name)' cannot be a broker username (no ':' or line breaks)"
        case .badIdentifier(let value, let problem): "'\(value)' is not a valid id: \(problem)"
        case .unknownDevice(let id): "no device '\(id)' in the registry"
        case .alreadyRevoked(let id): "device '\(id)' is already revoked"
        case .noBrokerPID(let path): "\(path) does not hold the broker's process id; is mosquitto running with pid_file set?"
        case .signalFailed(let pid, let errno): "cannot send SIGHUP to mosquitto (pid \(pid)): errno \(errno)"
        case .accountInTwoRegistries(let name):
            "'\(name)' là tài khoản broker của hai xã; mỗi xã cần tài khoản riêng (a broker account of two communes: give each commune's controller its own, loa device controller)"
        }
    }
}
