/// A segment in tcpdump's notation, as `tcpdump -n` prints it without the timestamp, the `IP`
/// or `IP6` in front and the TCP options:
/// `127.0.0.1.51552 > 127.0.0.1.5353: Flags [P.], seq 1:10, ack 1, win 512, length 9`.
/// Rendered straight into bytes: a busy exchange shows a segment every call or two.
public struct SegmentText {
  /// tcpdump's relative sequence numbers: per connection, the numbers of a segment carrying
  /// ACK are shown from the first SYN-ACK (or first ACK) seen; a segment without ACK, and the
  /// one that starts the count, show the kernel's own.
  private struct Connection: Hashable {
    var lowAddress: IPAddress
    var highAddress: IPAddress
    var ports: UInt32
  }
  private var bases: [Connection: (sequence: UInt32, acknowledgement: UInt32)] = [:]

  public init() {}

  public mutating func text(_ segment: Segment) -> String {
    let buffer = ByteBuffer(capacity: 128)
    append(segment, to: buffer)
    return String(decoding: buffer.bytes, as: UTF8.self)
  }

  public mutating func append(_ segment: Segment, to line: ByteBuffer) {
    segment.source.append(to: line)
    line.append(UInt8(ascii: "."))
    line.appendDecimal(Int(segment.sourcePort))
    line.append(" > ")
    segment.destination.append(to: line)
    line.append(UInt8(ascii: "."))
    line.appendDecimal(Int(segment.destinationPort))
    guard case .tcp(let tcp) = segment.transport else {
      line.append(": UDP, length ")
      line.appendDecimal(segment.length)
      return
    }
    var sequence = tcp.sequence
    var acknowledgement = tcp.acknowledgement
    if tcp.flags & Segment.ack != 0 {
      // tcpdump orders the two ends by port, then address, and keeps both bases on the one key.
      let reversed =
        segment.sourcePort > segment.destinationPort
        || (segment.sourcePort == segment.destinationPort
          && (segment.source.high, segment.source.low) > (segment.destination.high, segment.destination.low))
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
    line.append(": Flags [")
    line.append(SegmentText.flagText[Int(tcp.flags)])
    line.append(UInt8(ascii: "]"))
    if segment.length > 0 {
      line.append(", seq ")
      line.appendDecimal(Int(sequence))
      line.append(UInt8(ascii: ":"))
      line.appendDecimal(Int(sequence &+ UInt32(truncatingIfNeeded: segment.length)))
    } else if tcp.flags & (Segment.syn | Segment.fin | Segment.rst) != 0 {
      line.append(", seq ")
      line.appendDecimal(Int(sequence))
    }
    if tcp.flags & Segment.ack != 0 {
      line.append(", ack ")
      line.appendDecimal(Int(acknowledgement))
    }
    line.append(", win ")
    line.appendDecimal(Int(tcp.window))
    if tcp.flags & Segment.urg != 0 {
      line.append(", urg ")
      line.appendDecimal(Int(tcp.urgent))
    }
    line.append(", length ")
    line.appendDecimal(segment.length)
  }

  /// The flags of every value of the flag byte, made once.
  private static let flagText: [[UInt8]] = (0..<256).map { Array(flags(UInt8($0)).utf8) }

  /// `F`, `S`, `R`, `P`, `.` (ACK), `U`, `E` (ECE), `W` (CWR) in tcpdump's order; `none`.
  static func flags(_ bits: UInt8) -> String {
    let letters: [(UInt8, Character)] = [
      (0x01, "F"), (0x02, "S"), (0x04, "R"), (0x08, "P"), (0x10, "."), (0x20, "U"), (0x40, "E"), (0x80, "W"),
    ]
    let text = String(letters.compactMap { bits & $0.0 != 0 ? $0.1 : nil })
    return text.isEmpty ? "none" : text
  }

  /// True for a line WireEchoes shows: `  #2 > 127.0.0.1.51552 > 127.0.0.1.5353: Flags [S], …`.
  static func isWireLine(_ line: String) -> Bool {
    guard line.hasPrefix("  #") || line.hasPrefix("  -- ") else { return false }
    return line.contains(": Flags [") || line.contains(": UDP, length ")
  }

  /// `127.0.0.1` from the address's 32 bits.
  static func appendDotted(_ address: UInt32, to line: ByteBuffer) {
    for shift in [24, 16, 8, 0] as [UInt32] {
      line.appendDecimal(Int(address >> shift & 0xff))
      if shift != 0 { line.append(UInt8(ascii: ".")) }
    }
  }

  /// A 16-bit word in lower-case hexadecimal without leading zeros, as inet_ntop writes it.
  static func appendHex(_ word: UInt16, to line: ByteBuffer) {
    let digits = Array("0123456789abcdef".utf8)
    var started = false
    for shift in [12, 8, 4, 0] as [UInt16] {
      let digit = Int(word >> shift & 0xf)
      if digit != 0 || started || shift == 0 {
        line.append(digits[digit])
        started = true
      }
    }
  }
}
