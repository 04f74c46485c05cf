extension DeviceEvent {
    /// The sizes an event may have on the wire; the controller refuses a larger one
    /// (docs/protocol.md, "Events"). Lengths are in characters.
    public enum Limits {
        /// The whole MQTT message.
        public static let payloadBytes = 8 * 1024
        /// `id`, never empty: room for a board's ids, which hold the device and the item.
        public static let idCharacters = 400
        /// `device`, `site` and `zone`.
        public static let nameCharacters = 64
        /// `item`: a scheduled item's or a board notice's id.
        public static let itemCharacters = 256
        /// `reason`.
        public static let reasonCharacters = 500
    }

    /// `reason` cut to ``Limits/reasonCharacters`` (with "…" at the cut), so that a
    /// receiver never sends an event the controller must refuse for its size.
    public static func capped(reason: String?) -> String? {
        guard let reason, reason.count > Limits.reasonCharacters else { return reason }
        return String(reason.prefix(Limits.reasonCharacters - 1)) + "…"
    }
}
