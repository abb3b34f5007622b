import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import NIOSSL

/// Binds the listening socket and builds each connection's pipeline: plain HTTP/1.1, or TLS
/// offering `h2` and `http/1.1` by ALPN (as a real API server does, so kubectl and the
/// operator's libcurl client speak HTTP/2 to it). On HTTP/2 each stream gets NIOHTTP2's
/// HTTP/1 codec and its own `ConnectionHandler`, so every handler, watches included, serves
/// both protocols unchanged.
enum HTTPServer {
    static func bind(
        _ configuration: KubeSimServer.Configuration, store: ObjectStore, group: MultiThreadedEventLoopGroup,
        interceptor: @escaping @Sendable () -> RequestInterceptor?
    ) async throws -> any Channel {
        let tls = try tlsContext(configuration)
        let interval = TimeAmount.nanoseconds(
            Int64(configuration.bookmarkInterval.components.seconds) * 1_000_000_000
                + configuration.bookmarkInterval.components.attoseconds / 1_000_000_000)
        let token = configuration.token
        let connections = NIOLockedValueBox(0)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                let number = connections.withLockedValue {
                    $0 += 1
                    return $0
                }
                let port = channel.localAddress?.port ?? configuration.port
                let api = APIHandler(
                    store: store, token: token, serverAddress: "\(configuration.host):\(port)",
                    bookmarkInterval: interval)
                @Sendable func handler() -> ConnectionHandler {
                    ConnectionHandler(api: api, connection: number, interceptor: interceptor)
                }
                guard let tls else {
                    return channel.eventLoop.makeCompletedFuture { try http1(channel, handler()) }
                }
                do {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
                return channel.configureHTTP2SecureUpgrade(
                    h2ChannelConfigurator: { channel in
                        channel.configureHTTP2Pipeline(mode: .server) { stream in
                            stream.eventLoop.makeCompletedFuture {
                                try stream.pipeline.syncOperations.addHandlers(
                                    HTTP2FramePayloadToHTTP1ServerCodec(), handler())
                            }
                        }.map { _ in }
                    },
                    http1ChannelConfigurator: { channel in
                        channel.eventLoop.makeCompletedFuture { try http1(channel, handler()) }
                    })
            }
        return try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
    }

    private static func http1(_ channel: any Channel, _ handler: ConnectionHandler) throws {
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
        try channel.pipeline.syncOperations.addHandler(handler)
    }

    private static func tlsContext(_ configuration: KubeSimServer.Configuration) throws -> NIOSSLContext? {
        guard let certPath = configuration.tlsCertificatePath else {
            if configuration.tlsKeyPath != nil {
                throw KubeSimSetupError.invalidSetting("--tls-key", "needs --tls-cert")
            }
            return nil
        }
        guard let keyPath = configuration.tlsKeyPath else {
            throw KubeSimSetupError.invalidSetting("--tls-cert", "needs --tls-key")
        }
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certPath).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
            var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            tls.applicationProtocols = ["h2", "http/1.1"]
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw KubeSimSetupError.invalidSetting(
                "--tls-cert/--tls-key", "cannot load \(certPath) / \(keyPath): \(error)")
        }
    }
}

/// A start-up problem, naming the setting at fault (the executable exits with code 2).
public enum KubeSimSetupError: Error, CustomStringConvertible {
    case invalidSetting(String, String)
    case crdFile(String, String)

    public var description: String {
        switch self {
        case .invalidSetting(let setting, let why): "invalid setting \(setting): \(why)"
        case .crdFile(let path, let why): "cannot load CRD file \(path): \(why)"
        }
    }
}
