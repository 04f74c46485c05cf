import COpenSSL

#if canImport(Glibc)
import Glibc
#endif

/// `https://`: TLS 1.2 or later over the socket, through OpenSSL, with the server's
/// certificate checked against the trusted CAs and the host name (or IP address) asked.
final class TLSTransport: ByteTransport {
    let socket: TCPSocket
    private let url: String
    private let context: OpaquePointer
    private let session: OpaquePointer

    /// Makes the handshake.
    /// - Parameter caFile: the CA certificates (PEM) to trust; nil: the system's.
    /// - Throws: `.tls` naming why the server was refused; `.timedOut`, `.cancelled`.
    init(over socket: TCPSocket, host: String, caFile: String?, url: String, deadline: ContinuousClock.Instant) throws(HTTPClientError) {
        self.socket = socket
        self.url = url
        // The context is set up before the session is made from it: a session copies the
        // verify mode and protocol versions when it is made.
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw .tls(url: url, reason: Self.openSSLErrors()) }
        loa_ssl_ctx_set_minimum_tls12(context)
        loa_ssl_ctx_ignore_unexpected_eof(context)
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        if let caFile {
            guard SSL_CTX_load_verify_locations(context, caFile, nil) == 1 else {
                let reason = "cannot read the CA certificates in \(caFile) (PEM expected): \(Self.openSSLErrors())"
                SSL_CTX_free(context)
                throw .tls(url: url, reason: reason)
            }
        } else {
            SSL_CTX_set_default_verify_paths(context)
        }
        guard let session = SSL_new(context) else {
            SSL_CTX_free(context)
            throw .tls(url: url, reason: Self.openSSLErrors())
        }
        self.context = context
        self.session = session
        // The certificate must name what was asked: an IP address as one, a host name as one (and sent as SNI).
        if Self.isIPAddress(host) {
            X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(session), host)
        } else {
            SSL_set1_host(session, host)
            loa_ssl_set_server_name(session, host)
        }
        SSL_set_fd(session, socket.descriptor)
        while true {
            ERR_clear_error()
            let result = SSL_connect(session)
            if result == 1 { return }
            switch SSL_get_error(session, result) {
            case SSL_ERROR_WANT_READ: try socket.wait(for: .readable, until: deadline, waiting: "no TLS handshake")
            case SSL_ERROR_WANT_WRITE: try socket.wait(for: .writable, until: deadline, waiting: "no TLS handshake")
            default:
                let verdict = SSL_get_verify_result(session)
                if verdict != X509_V_OK {
                    let trusted = caFile.map { "the CA in \($0)" } ?? "the system's trusted CAs"
                    throw .tls(url: url, reason: "the server's certificate is refused (\(String(cString: X509_verify_cert_error_string(verdict)))); it must be signed by \(trusted) and name \(host)")
                }
                throw .tls(url: url, reason: Self.openSSLErrors())
            }
        }
    }

    deinit {
        SSL_free(session)
        SSL_CTX_free(context)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(HTTPClientError) -> TransportProgress {
        ERR_clear_error()
        let count = SSL_write(session, bytes.baseAddress, Int32(clamping: bytes.count))
        return count > 0 ? .moved(Int(count)) : try progress(after: count)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(HTTPClientError) -> TransportProgress {
        ERR_clear_error()
        let count = SSL_read(session, buffer.baseAddress, Int32(clamping: buffer.count))
        return count > 0 ? .moved(Int(count)) : try progress(after: count)
    }

    private func progress(after result: Int32) throws(HTTPClientError) -> TransportProgress {
        switch SSL_get_error(session, result) {
        case SSL_ERROR_WANT_READ: return .needs(.readable)
        case SSL_ERROR_WANT_WRITE: return .needs(.writable)
        case SSL_ERROR_ZERO_RETURN: return .moved(0)
        case SSL_ERROR_SYSCALL where errno == 0: return .moved(0)
        default: throw .lost(url: url, reason: "TLS: \(Self.openSSLErrors())")
        }
    }

    private static func isIPAddress(_ host: String) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET, host, &address) == 1 || inet_pton(AF_INET6, host, &address) == 1
    }

    /// OpenSSL's queued errors, oldest first.
    private static func openSSLErrors() -> String {
        var reasons: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var text = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &text, text.count)
            reasons.append(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return reasons.isEmpty ? "the handshake failed (\(TCPSocket.lastError()))" : reasons.joined(separator: "; ")
    }
}
