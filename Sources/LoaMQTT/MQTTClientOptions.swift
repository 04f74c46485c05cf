#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// How a client reaches and presents itself to the broker.
public struct MQTTClientOptions: Sendable {
    /// Broker host name or address.
    public var host: String
    /// Broker TCP port (1883 plain, 8883 TLS by convention).
    public var port: Int
    /// MQTT client id; Loa uses the device id, so the broker keeps one session per device.
    public var clientID: String
    /// Username and password presented in CONNECT; nil for none.
    public var credentials: Credentials?
    /// TLS settings; nil for a plain TCP connection.
    public var tls: TLS?
    /// The message the broker publishes for this client when it vanishes without a DISCONNECT.
    public var will: MQTTMessage?
    /// Clean session off keeps subscriptions and queued QoS 1 messages across disconnects.
    public var cleanSession: Bool
    /// Seconds between keepalive pings.
    public var keepAlive: Int
    /// Reconnect delays grow from `minimum` by doubling up to `maximum`.
    public var reconnectBackoff: (minimum: Duration, maximum: Duration)

    /// Username and password for the broker.
    public struct Credentials: Sendable {
        public var username: String
        public var password: String
        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    /// Files for a TLS connection (PEM), as `mosquitto_tls_set` takes them.
    public struct TLS: Sendable {
        /// The CA certificate that signed the broker's certificate.
        public var caFile: String
        /// The client's certificate and key, for brokers that ask for one.
        public var certificateFile: String?
        public var keyFile: String?
        public init(caFile: String, certificateFile: String? = nil, keyFile: String? = nil) {
            self.caFile = caFile
            self.certificateFile = certificateFile
            self.keyFile = keyFile
        }
    }

    public init(
        host: String, port: Int, clientID: String, credentials: Credentials? = nil, tls: TLS? = nil,
        will: MQTTMessage? = nil, cleanSession: Bool = false, keepAlive: Int = 30,
        reconnectBackoff: (minimum: Duration, maximum: Duration) = (.milliseconds(250), .seconds(30))
    ) {
        self.host = host
        self.port = port
        self.clientID = clientID
        self.credentials = credentials
        self.tls = tls
        self.will = will
        self.cleanSession = cleanSession
        self.keepAlive = keepAlive
        self.reconnectBackoff = reconnectBackoff
    }
}

/// Quality of service of a publish or subscription.
public enum MQTTQoS: Int32, Sendable {
    /// At most once: dropped while offline.
    case atMostOnce = 0
    /// At least once: kept and resent until the broker acknowledges it.
    case atLeastOnce = 1
}

/// A message as published or received.
public struct MQTTMessage: Sendable, Equatable {
    public var topic: String
    public var payload: Data
    public var qos: MQTTQoS
    /// Retained on the broker as the topic's last known value.
    public var retain: Bool

    public init(topic: String, payload: Data, qos: MQTTQoS = .atLeastOnce, retain: Bool = false) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
    }
}

/// Where a client stands with its broker.
public enum MQTTConnectionState: Sendable, Equatable {
    /// Not yet connected, or between attempts.
    case connecting
    /// CONNACK accepted.
    case connected
    /// The broker answered CONNACK with a refusal (bad credentials, not authorised...).
    case refused(String)
    /// The last attempt failed before a CONNACK (no route, connection refused, lost).
    case disconnected(String)
    /// `disconnect()` was called.
    case closed
}

/// What went wrong, in words an operator can act on.
public enum MQTTError: Error, Equatable, CustomStringConvertible {
    /// The broker refused the connection (CONNACK); the text says why.
    case refused(host: String, port: Int, reason: String)
    /// No CONNACK within the time allowed; the text says what the last attempt hit.
    case unreachable(host: String, port: Int, lastError: String)
    /// A call into libmosquitto failed.
    case library(operation: String, reason: String)
    /// The broker refused a subscription.
    case subscriptionRefused(filter: String)
    /// The client was closed before the operation completed.
    case closed

    public var description: String {
        switch self {
        case .refused(let host, let port, let reason):
            "MQTT broker \(host):\(port) refused the connection: \(reason). Check the device's username and password and the broker's ACL."
        case .unreachable(let host, let port, let lastError):
            "MQTT broker \(host):\(port) is unreachable (\(lastError)). Check that the broker runs and the address and port are right."
        case .library(let operation, let reason):
            "MQTT \(operation) failed: \(reason)"
        case .subscriptionRefused(let filter):
            "The broker refused the subscription to \(filter); the ACL does not allow it."
        case .closed:
            "The MQTT client was closed."
        }
    }
}
