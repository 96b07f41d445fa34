/// An IPv4 or IPv6 address as a segment carries it, in two words: cheap to keep, compare and
/// hash for every segment on the wire.
public struct IPAddress: Hashable, Sendable {
  /// The first 8 bytes of an IPv6 address, big-endian; 0 for IPv4.
  public var high: UInt64
  /// The last 8 bytes of an IPv6 address, or the 4 of an IPv4 one, big-endian.
  public var low: UInt64
  public var isIPv6: Bool

  public init(high: UInt64 = 0, low: UInt64, isIPv6: Bool) {
    self.high = high
    self.low = low
    self.isIPv6 = isIPv6
  }

  /// The address at `offset` in `bytes`: 16 bytes when `isIPv6`, else 4.
  init(_ bytes: [UInt8], at offset: Int, isIPv6: Bool) {
    func word(_ start: Int, _ count: Int) -> UInt64 {
      var value: UInt64 = 0
      for index in start..<(start + count) { value = value << 8 | UInt64(bytes[index]) }
      return value
    }
    self.isIPv6 = isIPv6
    high = isIPv6 ? word(offset, 8) : 0
    low = isIPv6 ? word(offset + 8, 8) : word(offset, 4)
  }

  /// The bytes in network order: 4 or 16.
  public var bytes: [UInt8] {
    let words = isIPv6 ? [high, low] : []
    var result: [UInt8] = []
    for word in words {
      for shift in stride(from: 56, through: 0, by: -8) {
        result.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
      }
    }
    if !isIPv6 {
      for shift in stride(from: 24, through: 0, by: -8) {
        result.append(UInt8(truncatingIfNeeded: low >> UInt64(shift)))
      }
    }
    return result
  }

  /// An IPv4-mapped IPv6 address (`::ffff:127.0.0.1`, a dual-stack socket) as the IPv4 one.
  var plain: IPAddress {
    guard isIPv6, high == 0, low >> 32 == 0xffff else { return self }
    return IPAddress(low: low & 0xffff_ffff, isIPv6: false)
  }

  /// The address as inet_ntop writes it: `127.0.0.1`, `::1`, `fe80::1`, `::ffff:127.0.0.1`.
  func append(to text: ByteBuffer) {
    guard isIPv6 else {
      SegmentText.appendDotted(UInt32(truncatingIfNeeded: low), to: text)
      return
    }
    let words = (0..<8).map { index -> UInt16 in
      let word = index < 4 ? high : low
      return UInt16(truncatingIfNeeded: word >> UInt64(48 - 16 * (index % 4)))
    }
    // The first longest run of two or more zero words becomes `::` (glibc's inet_ntop6).
    var best = (base: -1, length: 0)
    var current = (base: -1, length: 0)
    for index in 0..<8 {
      if words[index] == 0 {
        current = current.base == -1 ? (index, 1) : (current.base, current.length + 1)
        if current.length > best.length { best = current }
      } else {
        current = (-1, 0)
      }
    }
    if best.length < 2 { best = (-1, 0) }
    for index in 0..<8 {
      if best.base != -1 && index >= best.base && index < best.base + best.length {
        if index == best.base { text.append(UInt8(ascii: ":")) }
        continue
      }
      if index != 0 { text.append(UInt8(ascii: ":")) }
      if index == 6 && best.base == 0 && (best.length == 6 || (best.length == 5 && words[5] == 0xffff)) {
        SegmentText.appendDotted(UInt32(truncatingIfNeeded: low), to: text)
        return
      }
      SegmentText.appendHex(words[index], to: text)
    }
    if best.base != -1 && best.base + best.length == 8 { text.append(UInt8(ascii: ":")) }
  }
}
