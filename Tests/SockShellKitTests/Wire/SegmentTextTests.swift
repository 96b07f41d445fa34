import Glibc
import Testing
@testable import SockShellKit

/// Frames built by hand, decoded and printed as `tcpdump -n` prints them (less the timestamp, the
/// `IP` in front and the options).
@Suite struct SegmentTextTests {
  /// An Ethernet frame holding an IPv4 TCP segment with `payload` bytes after a 32-byte header.
  static func tcp4(
    from source: UInt16, to destination: UInt16, seq: UInt32, ack: UInt32, flags: UInt8, window: UInt16 = 512,
    payload: Int = 0
  ) -> [UInt8] {
    var frame = [UInt8](repeating: 0, count: 12) + [0x08, 0x00]
    let total = 20 + 32 + payload
    frame += [
      0x45, 0, UInt8(total >> 8), UInt8(total & 0xff), 0, 0, 0x40, 0, 64, 6, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1,
    ]
    frame += [UInt8(source >> 8), UInt8(source & 0xff), UInt8(destination >> 8), UInt8(destination & 0xff)]
    for word in [seq, ack] {
      frame += [UInt8(word >> 24), UInt8(word >> 16 & 0xff), UInt8(word >> 8 & 0xff), UInt8(word & 0xff)]
    }
    frame += [0x80, flags, UInt8(window >> 8), UInt8(window & 0xff), 0, 0, 0, 0]
    frame += [UInt8](repeating: 1, count: 12 + payload)
    return frame
  }

  @Test func aHandshakeAndDataReadAsTcpdumpPrintsThem() throws {
    var text = SegmentText()
    let lines = try [
      SegmentTextTests.tcp4(from: 51552, to: 5353, seq: 1000, ack: 0, flags: 0x02, window: 65495),
      SegmentTextTests.tcp4(from: 5353, to: 51552, seq: 7000, ack: 1001, flags: 0x12, window: 65483),
      SegmentTextTests.tcp4(from: 51552, to: 5353, seq: 1001, ack: 7001, flags: 0x10),
      SegmentTextTests.tcp4(from: 51552, to: 5353, seq: 1001, ack: 7001, flags: 0x18, payload: 9),
      SegmentTextTests.tcp4(from: 5353, to: 51552, seq: 7001, ack: 1010, flags: 0x10),
      SegmentTextTests.tcp4(from: 5353, to: 51552, seq: 7001, ack: 1010, flags: 0x11),
      SegmentTextTests.tcp4(from: 51552, to: 5353, seq: 1010, ack: 7002, flags: 0x14),
    ].map { text.text(try #require(Segment(frame: $0))) }
    #expect(
      lines == [
        // A SYN has no ACK: tcpdump shows the kernel's own numbers, and on the SYN-ACK too,
        // where its relative count starts.
        "127.0.0.1.51552 > 127.0.0.1.5353: Flags [S], seq 1000, win 65495, length 0",
        "127.0.0.1.5353 > 127.0.0.1.51552: Flags [S.], seq 7000, ack 1001, win 65483, length 0",
        "127.0.0.1.51552 > 127.0.0.1.5353: Flags [.], ack 1, win 512, length 0",
        "127.0.0.1.51552 > 127.0.0.1.5353: Flags [P.], seq 1:10, ack 1, win 512, length 9",
        "127.0.0.1.5353 > 127.0.0.1.51552: Flags [.], ack 10, win 512, length 0",
        "127.0.0.1.5353 > 127.0.0.1.51552: Flags [F.], seq 1, ack 10, win 512, length 0",
        "127.0.0.1.51552 > 127.0.0.1.5353: Flags [R.], seq 10, ack 2, win 512, length 0",
      ])
  }

  @Test func aDatagramAndAnIPv6SegmentShowTheirLengthAndAddresses() throws {
    var udp = [UInt8](repeating: 0, count: 12) + [0x08, 0x00]
    udp += [0x45, 0, 0, 30, 0, 0, 0x40, 0, 64, 17, 0, 0, 127, 0, 0, 1, 127, 0, 0, 2]
    udp += [0x9c, 0x40, 0x27, 0x0f, 0, 10, 0, 0, 104, 105]
    var six = [UInt8](repeating: 0, count: 12) + [0x86, 0xdd]
    six +=
      [0x60, 0, 0, 0, 0, 20, 6, 64] + [UInt8](repeating: 0, count: 15) + [1]
      + [UInt8](repeating: 0, count: 15) + [1]
    six += [0xa0, 0x00, 0, 9, 0, 0, 0, 0, 0x12, 0x34, 0x56, 0x78, 0x50, 0x14, 0, 0, 0, 0, 0, 0]
    var text = SegmentText()
    #expect(text.text(try #require(Segment(frame: udp))) == "127.0.0.1.40000 > 127.0.0.2.9999: UDP, length 2")
    #expect(
      text.text(try #require(Segment(frame: six)))
        == "::1.40960 > ::1.9: Flags [R.], seq 0, ack 305419896, win 0, length 0")
  }

  @Test func framesThatAreNeitherTCPNorUDPAreLeftOut() {
    var arp = [UInt8](repeating: 0, count: 12) + [0x08, 0x06]
    arp += [UInt8](repeating: 0, count: 28)
    #expect(Segment(frame: arp) == nil)
    #expect(Segment(frame: [1, 2, 3]) == nil)
  }
}

/// Addresses as inet_ntop writes them, which tcpdump uses.
@Suite struct IPAddressTextTests {
  static func ntop(_ bytes: [UInt8]) -> String {
    var text = [CChar](repeating: 0, count: 64)
    _ = bytes.withUnsafeBytes { inet_ntop(bytes.count == 16 ? AF_INET6 : AF_INET, $0.baseAddress, &text, 64) }
    return String(cString: text)
  }

  static func mine(_ bytes: [UInt8]) -> String {
    let line = ByteBuffer()
    IPAddress(bytes, at: 0, isIPv6: bytes.count == 16).append(to: line)
    return String(decoding: line.bytes, as: UTF8.self)
  }

  @Test func everyFormMatchesInetNtop() {
    var samples: [[UInt8]] = [[127, 0, 0, 1], [0, 0, 0, 0], [255, 255, 255, 255], [10, 1, 200, 3]]
    let six: [[UInt16]] = [
      [0, 0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0, 0], [0xfe80, 0, 0, 0, 0, 0, 0, 1],
      [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1], [0, 0, 0, 0, 0, 0, 0x7f00, 1], [0x2001, 0xdb8, 0, 0, 1, 0, 0, 1],
      [1, 0, 0, 1, 0, 0, 0, 1], [0x2001, 0xdb8, 1, 2, 3, 4, 5, 0], [0x2001, 0, 0xabcd, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0xffff, 0, 0], [0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff],
      [0, 0, 0, 0, 1, 0, 0, 0], [0, 1, 0, 1, 0, 1, 0, 1],
    ]
    for words in six { samples.append(words.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }) }
    for sample in samples {
      #expect(IPAddressTextTests.mine(sample) == IPAddressTextTests.ntop(sample))
      #expect(IPAddress(sample, at: 0, isIPv6: sample.count == 16).bytes == sample)
    }
  }
}
