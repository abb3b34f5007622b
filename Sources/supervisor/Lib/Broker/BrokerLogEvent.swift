import BrokerProtocol

/// What the broker has to say, as data (see ``TreeLogEvent``).
public enum BrokerLogEvent: Equatable, Sendable {
    case peerJoined(Broker.ConnectionID, Hello)
    case peerLeft(Broker.ConnectionID, Hello)
    case strayResult(Broker.ConnectionID, id: String)
    case redispatching(Broker.ConnectionID, count: Int)
}
