import Glibc

/// A segment in tcpdump's notation, as `tcpdump -n` prints it without the timestamp, the `IP`
/// or `IP6` in front and the TCP options:
/// `127.0.0.1.51552 > 127.0.0.1.5353: Flags [P.], seq 1:10, ack 1, win 512, length 9`.
public struct SegmentText {
  /// tcpdump's relative sequence numbers: per connection, the numbers of a segment carrying
  /// ACK are shown from the first SYN-ACK (or first ACK) seen; a segment without ACK, and the
  /// one that starts the count, show the kernel's own.
  private struct Connection: Hashable {
    var lowAddress: [UInt8]
    var highAddress: [UInt8]
    var ports: UInt32
  }
  private var bases: [Connection: (sequence: UInt32, acknowledgement: UInt32)] = [:]

  public init() {}

  public mutating func text(_ segment: Segment) -> String {
    var line =
      SegmentText.endpoint(segment.source, segment.sourcePort) + " > "
      + SegmentText.endpoint(segment.destination, segment.destinationPort) + ": "
    guard case .tcp(let tcp) = segment.transport else {
      return line + "UDP, length " + String(segment.length)
    }
    var sequence = tcp.sequence
    var acknowledgement = tcp.acknowledgement
    if tcp.flags & Segment.ack != 0 {
      // tcpdump orders the two ends by port, then address, and keeps both bases on the one key.
      let reversed =
        segment.sourcePort > segment.destinationPort
        || (segment.sourcePort == segment.destinationPort
          && segment.source.lexicographicallyPrecedes(segment.destination) == false
          && segment.source != segment.destination)
      let key =
        reversed
        ? Connection(
          lowAddress: segment.destination, highAddress: segment.source,
          ports: UInt32(segment.destinationPort) << 16 | UInt32(segment.sourcePort))
        : Connection(
          lowAddress: segment.source, highAddress: segment.destination,
          ports: UInt32(segment.sourcePort) << 16 | UInt32(segment.destinationPort))
      if let base = bases[key], tcp.flags & Segment.syn == 0 {
        if reversed {
          sequence &-= base.acknowledgement
          acknowledgement &-= base.sequence
        } else {
          sequence &-= base.sequence
          acknowledgement &-= base.acknowledgement
        }
      } else {
        bases[key] =
          reversed
          ? (sequence: tcp.acknowledgement &- 1, acknowledgement: tcp.sequence)
          : (sequence: tcp.sequence, acknowledgement: tcp.acknowledgement &- 1)
      }
    }
    line += "Flags [" + SegmentText.flags(tcp.flags) + "]"
    if segment.length > 0 {
      line +=
        ", seq " + String(sequence) + ":" + String(sequence &+ UInt32(truncatingIfNeeded: segment.length))
    } else if tcp.flags & (Segment.syn | Segment.fin | Segment.rst) != 0 {
      line += ", seq " + String(sequence)
    }
    if tcp.flags & Segment.ack != 0 { line += ", ack " + String(acknowledgement) }
    line += ", win " + String(tcp.window)
    if tcp.flags & Segment.urg != 0 { line += ", urg " + String(tcp.urgent) }
    return line + ", length " + String(segment.length)
  }

  /// True for a line WireEchoes shows: `  #2 > 127.0.0.1.51552 > 127.0.0.1.5353: Flags [S], …`.
  static func isWireLine(_ line: String) -> Bool {
    guard line.hasPrefix("  #") || line.hasPrefix("  -- ") else { return false }
    return line.contains(": Flags [") || line.contains(": UDP, length ")
  }

  /// `F`, `S`, `R`, `P`, `.` (ACK), `U`, `E` (ECE), `W` (CWR) in tcpdump's order; `none`.
  static func flags(_ bits: UInt8) -> String {
    let letters: [(UInt8, Character)] = [
      (0x01, "F"), (0x02, "S"), (0x04, "R"), (0x08, "P"), (0x10, "."), (0x20, "U"), (0x40, "E"), (0x80, "W"),
    ]
    let text = String(letters.compactMap { bits & $0.0 != 0 ? $0.1 : nil })
    return text.isEmpty ? "none" : text
  }

  /// `127.0.0.1.5353`, `::1.5353`: the address as inet_ntop writes it, a dot, the port.
  static func endpoint(_ address: [UInt8], _ port: UInt16) -> String {
    address.count == 16 || address.count == 4
      ? addressText(address) + "." + String(port) : "?." + String(port)
  }

  static func addressText(_ address: [UInt8]) -> String {
    var text = [CChar](repeating: 0, count: 64)
    let family = address.count == 16 ? AF_INET6 : AF_INET
    let written = address.withUnsafeBytes { raw in inet_ntop(family, raw.baseAddress, &text, 64) }
    return written == nil
      ? "?" : String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
