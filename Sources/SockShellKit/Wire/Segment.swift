/// A TCP segment or UDP datagram decoded from a captured frame: what tcpdump prints of it.
public struct Segment: Sendable, Equatable {
  public struct TCP: Sendable, Equatable {
    public var sequence: UInt32
    public var acknowledgement: UInt32
    /// The flag bits of byte 13 (CWR ECE URG ACK PSH RST SYN FIN).
    public var flags: UInt8
    public var window: UInt16
    public var urgent: UInt16
  }

  public enum Transport: Sendable, Equatable {
    case tcp(TCP)
    case udp
  }

  public var source: IPAddress
  public var destination: IPAddress
  public var sourcePort: UInt16
  public var destinationPort: UInt16
  public var transport: Transport
  /// Bytes of payload after the TCP or UDP header: tcpdump's `length`.
  public var length: Int

  public var isTCP: Bool { if case .tcp = transport { true } else { false } }

  public static let fin: UInt8 = 0x01
  public static let syn: UInt8 = 0x02
  public static let rst: UInt8 = 0x04
  public static let psh: UInt8 = 0x08
  public static let ack: UInt8 = 0x10
  public static let urg: UInt8 = 0x20

  /// Decodes an Ethernet frame as loopback carries it; nil for anything that is not a whole
  /// TCP segment or UDP datagram over IPv4 or IPv6 (ARP, ICMP, a fragment after the first).
  public init?(frame: [UInt8]) {
    guard frame.count >= 14 else { return nil }
    let etherType = Int(frame[12]) << 8 | Int(frame[13])
    var offset = 14
    let proto: UInt8
    let end: Int
    switch etherType {
    case 0x0800:
      guard frame.count >= offset + 20, frame[offset] >> 4 == 4 else { return nil }
      let headerLength = Int(frame[offset] & 0x0f) * 4
      let total = Segment.u16(frame, offset + 2)
      // A fragment other than the first carries no transport header.
      guard Segment.u16(frame, offset + 6) & 0x1fff == 0, headerLength >= 20 else { return nil }
      proto = frame[offset + 9]
      source = IPAddress(frame, at: offset + 12, isIPv6: false)
      destination = IPAddress(frame, at: offset + 16, isIPv6: false)
      end = offset + Int(total)
      offset += headerLength
    case 0x86dd:
      guard frame.count >= offset + 40, frame[offset] >> 4 == 6 else { return nil }
      var next = frame[offset + 6]
      source = IPAddress(frame, at: offset + 8, isIPv6: true)
      destination = IPAddress(frame, at: offset + 24, isIPv6: true)
      end = offset + 40 + Int(Segment.u16(frame, offset + 4))
      offset += 40
      // Hop-by-hop, routing and destination options are skipped; a fragment is not decoded.
      while [0, 43, 60].contains(next) {
        guard frame.count >= offset + 2 else { return nil }
        next = frame[offset]
        offset += (Int(frame[offset + 1]) + 1) * 8
      }
      proto = next
    default:
      return nil
    }
    switch proto {
    case 6:
      guard frame.count >= offset + 20 else { return nil }
      let dataOffset = Int(frame[offset + 12] >> 4) * 4
      sourcePort = Segment.u16(frame, offset)
      destinationPort = Segment.u16(frame, offset + 2)
      transport = .tcp(
        TCP(
          sequence: Segment.u32(frame, offset + 4), acknowledgement: Segment.u32(frame, offset + 8),
          flags: frame[offset + 13], window: Segment.u16(frame, offset + 14),
          urgent: Segment.u16(frame, offset + 18)))
      length = max(0, end - offset - dataOffset)
    case 17:
      guard frame.count >= offset + 8 else { return nil }
      sourcePort = Segment.u16(frame, offset)
      destinationPort = Segment.u16(frame, offset + 2)
      transport = .udp
      length = max(0, Int(Segment.u16(frame, offset + 4)) - 8)
    default:
      return nil
    }
  }

  public init(
    source: IPAddress, destination: IPAddress, sourcePort: UInt16, destinationPort: UInt16,
    transport: Transport,
    length: Int
  ) {
    self.source = source
    self.destination = destination
    self.sourcePort = sourcePort
    self.destinationPort = destinationPort
    self.transport = transport
    self.length = length
  }

  private static func u16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
    UInt16(bytes[at]) << 8 | UInt16(bytes[at + 1])
  }
  private static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
    UInt32(u16(bytes, at)) << 16 | UInt32(u16(bytes, at + 2))
  }
}
