import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Binds the listening socket and builds each connection's pipeline (TLS?, HTTP/1.1, handler).
enum HTTPServer {
    static func bind(_ configuration: KubeSimServer.Configuration, store: ObjectStore, group: MultiThreadedEventLoopGroup,
                     interceptor: @escaping @Sendable () -> RequestInterceptor?) async throws -> any Channel {
        let tls = try tlsContext(configuration)
        let address = "\(configuration.host):\(configuration.port)"
        let interval = TimeAmount.nanoseconds(Int64(configuration.bookmarkInterval.components.seconds) * 1_000_000_000
            + configuration.bookmarkInterval.components.attoseconds / 1_000_000_000)
        let token = configuration.token
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    let port = channel.localAddress?.port ?? configuration.port
                    let api = APIHandler(store: store, token: token, serverAddress: "\(configuration.host):\(port)", bookmarkInterval: interval)
                    try channel.pipeline.syncOperations.addHandler(ConnectionHandler(api: api, interceptor: interceptor))
                }
            }
        _ = address
        return try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
    }

    private static func tlsContext(_ configuration: KubeSimServer.Configuration) throws -> NIOSSLContext? {
        guard let certPath = configuration.tlsCertificatePath else {
            if configuration.tlsKeyPath != nil { throw KubeSimSetupError.invalidSetting("--tls-key", "needs --tls-cert") }
            return nil
        }
        guard let keyPath = configuration.tlsKeyPath else { throw KubeSimSetupError.invalidSetting("--tls-cert", "needs --tls-key") }
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certPath).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
            return try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key)))
        } catch {
            throw KubeSimSetupError.invalidSetting("--tls-cert/--tls-key", "cannot load \(certPath) / \(keyPath): \(error)")
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
