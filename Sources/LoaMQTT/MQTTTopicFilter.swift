import CMosquitto

/// A subscription's topic filter (`+` one level, `#` all the rest), matched as the broker
/// matches it: by libmosquitto's own matcher.
public struct MQTTTopicFilter: Sendable, Hashable {
    /// The filter as subscribed, e.g. `loa/v1/xa/device/+/events`.
    public let text: String

    public init(_ text: String) { self.text = text }

    /// Whether a message published on `topic` reaches this subscription; false for a
    /// filter or topic the library finds malformed.
    public func matches(_ topic: String) -> Bool {
        var result = false
        return mosquitto_topic_matches_sub(text, topic, &result) == MOSQ_ERR_SUCCESS.rawValue && result
    }
}
