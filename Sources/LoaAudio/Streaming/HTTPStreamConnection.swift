#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaHTTP

/// A live audio stream over HTTP (an Icecast mount), read on the calling thread: `GET`
/// with HTTP basic credentials, the status and content type checked, then the body a
/// chunk at a time, each read waiting at most `readTimeout`. Blocking; use from one
/// thread only.
final class HTTPStreamConnection {
    typealias Read = HTTPClientConnection.BodyRead

    private let connection: HTTPClientConnection
    private let readTimeout: Duration

    /// Connects, sends the request and reads the answer's head.
    /// - Throws: ``AudioStreamError`` naming the URL and what failed.
    init(_ request: AudioStreamRequest, connectTimeout: TimeInterval = 3, readTimeout: TimeInterval = 0.25) throws {
        let url = request.url
        var fields = [HTTPField(name: "User-Agent", value: "loa-receiver"), HTTPField(name: "Icy-MetaData", value: "0")]
        if let user = request.user, let password = request.password {
            fields.append(HTTPField(name: "Authorization", value: "Basic \(Data("\(user):\(password)".utf8).base64EncodedString())"))
        }
        do {
            connection = try HTTPClientConnection(
                url: url, fields: fields, connectTimeout: .seconds(connectTimeout), answerTimeout: .seconds(connectTimeout))
        } catch .unusableURL(_, let reason) {
            throw AudioStreamError.unusableURL(url: url, reason: "\(reason) (an Icecast mount)")
        } catch {
            throw AudioStreamError.unreachable(url: url, reason: error.description)
        }
        self.readTimeout = .seconds(readTimeout)
        let head = connection.head
        guard head.status == 200 else { throw AudioStreamError.refused(url: url, status: head.status) }
        if let type = head.value(of: "Content-Type")?.lowercased(), !type.hasPrefix("audio/mpeg"), !type.hasPrefix("audio/mp3") {
            throw AudioStreamError.notAudio(url: url, reason: "its content type is \(type); Loa plays MP3 streams (audio/mpeg)")
        }
    }

    /// Reads what has arrived into `buffer` (waiting at most the read timeout).
    func read(into buffer: inout [UInt8]) throws -> Read {
        do {
            return try connection.readBody(into: &buffer, waitingAtMost: readTimeout)
        } catch {
            throw AudioStreamError.lost(reason: error.description)
        }
    }
}
