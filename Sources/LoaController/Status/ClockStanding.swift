public import LoaProtocol

/// How far a receiver's sound may be from the instant because of its clock, as its
/// state tells: a device that measures its clock against the controller's corrects it,
/// and is off by at most its estimate's uncertainty; one that does not is off by its
/// whole offset (the controller's rough figure). Beyond the site's tolerance its
/// speaker is heard out of step with its neighbours.
public struct ClockStanding: Sendable, Equatable {
    /// The device's own clock minus the controller's, in milliseconds.
    public var offsetMs: Double
    /// How far its sound may be from the instant, in milliseconds.
    public var errorMs: Double
    /// True when the device corrects its clock (it reported an estimate with its uncertainty).
    public var corrected: Bool
    /// True when `errorMs` is beyond the tolerance.
    public var outOfStep: Bool

    /// The standing of `state`'s clock against `toleranceMs`; nil when nothing is known of it.
    public init?(_ state: DeviceState, toleranceMs: Int) {
        guard let offset = state.clockOffsetMs else { return nil }
        offsetMs = offset
        corrected = state.clockUncertaintyMs != nil
        errorMs = state.clockUncertaintyMs ?? abs(offset)
        outOfStep = errorMs > Double(toleranceMs)
    }
}
