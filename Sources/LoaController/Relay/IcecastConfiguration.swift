import Foundation

/// An Icecast 2.4 configuration for a Loa relay (`icecast2 -c`): one loopback or LAN
/// listener, a source password, no admin web pages, small bursts for low delay, and
/// every mount's listeners checked by the controller (`POST /relay/listeners`), so no
/// mount is ever open. `deploy/relay/icecast.xml` is one written by it.
public struct IcecastConfiguration: Sendable {
    public var port: Int
    public var bindAddress: String
    public var sourcePassword: String
    /// The admin password (Icecast insists on one); never used by Loa.
    public var adminPassword: String
    /// The controller's listener check; nil: listeners are not checked (an upstream for tests).
    public var listenerCheckURL: String?
    /// Where Icecast writes its logs and pid file.
    public var logDirectory: String
    /// The user and group it drops to when started as root.
    public var runAs: (user: String, group: String)?
    /// Bytes sent to a new listener at once (Icecast's default 64 KiB is ~10 s at 48 kbit/s:
    /// a receiver would start that far behind); 8 KiB is ~1.3 s.
    public var burstBytes = 8192
    public var maxListeners = 2000
    /// Icecast's own relays of other servers' mounts (`<relay>`): none in a Loa relay, whose
    /// pulls are ffmpeg's; a benchmark's plain relay for comparison.
    public var relays: [(server: String, port: Int, mount: String, localMount: String)] = []
    /// A folder of static files Icecast serves (an upstream's HLS playlist and segments in a
    /// test); none in a Loa relay.
    public var webroot: String?

    public init(
        port: Int, bindAddress: String = "127.0.0.1", sourcePassword: String, adminPassword: String,
        listenerCheckURL: String?, logDirectory: String, runAs: (user: String, group: String)? = nil
    ) {
        (self.port, self.bindAddress, self.sourcePassword, self.adminPassword) = (port, bindAddress, sourcePassword, adminPassword)
        (self.listenerCheckURL, self.logDirectory, self.runAs) = (listenerCheckURL, logDirectory, runAs)
    }

    /// The configuration file's text.
    public var xml: String {
        let check = listenerCheckURL.map { url in
            """
              <mount type="default">
                <authentication type="url">
                  <option name="listener_add" value="\(escaped(url))"/>
                  <option name="auth_header" value="icecast-auth-user: 1"/>
                </authentication>
              </mount>

            """
        } ?? ""
        let owner = runAs.map {
            "<changeowner><user>\(escaped($0.user))</user><group>\(escaped($0.group))</group></changeowner>"
        } ?? ""
        let relayBlocks = relays.map {
            "  <relay><server>\(escaped($0.server))</server><port>\($0.port)</port><mount>\(escaped($0.mount))</mount>"
                + "<local-mount>\(escaped($0.localMount))</local-mount><on-demand>0</on-demand><relay-shoutcast-metadata>0</relay-shoutcast-metadata></relay>\n"
        }.joined()
        return """
            <icecast>
              <location>Loa relay</location>
              <admin>loa@localhost</admin>
              <limits>
                <clients>\(maxListeners + 20)</clients>
                <sources>20</sources>
                <queue-size>262144</queue-size>
                <client-timeout>15</client-timeout>
                <header-timeout>5</header-timeout>
                <source-timeout>5</source-timeout>
                <burst-on-connect>1</burst-on-connect>
                <burst-size>\(burstBytes)</burst-size>
              </limits>
              <authentication>
                <source-password>\(escaped(sourcePassword))</source-password>
                <admin-user>admin</admin-user>
                <admin-password>\(escaped(adminPassword))</admin-password>
              </authentication>
              <hostname>\(escaped(bindAddress))</hostname>
              <listen-socket><port>\(port)</port><bind-address>\(escaped(bindAddress))</bind-address></listen-socket>
            \(check)\(relayBlocks)  <fileserve>\(webroot == nil ? 0 : 1)</fileserve>
              <paths>
                <logdir>\(escaped(logDirectory))</logdir>\(webroot.map { "<webroot>\(escaped($0))</webroot>" } ?? "")
                <pidfile>\(escaped(logDirectory))/icecast.pid</pidfile>
              </paths>
              <logging><errorlog>error.log</errorlog><accesslog>access.log</accesslog><loglevel>3</loglevel></logging>
              <security><chroot>0</chroot>\(owner)</security>
            </icecast>

            """
    }

    private func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
