import Testing
@testable import SockShellKit

@Suite struct ByteBufferTests {
  func text(_ buffer: ByteBuffer) -> String { String(decoding: buffer.bytes, as: UTF8.self) }

  @Test func decimalsAsStraceWritesThem() {
    let buffer = ByteBuffer(capacity: 4)
    for value in [0, 7, 10, 5353, -1, -40, Int.max, Int.min] {
      buffer.removeAll()
      buffer.appendDecimal(value)
      #expect(text(buffer) == String(value))
    }
  }

  @Test func growsPastItsCapacityAndKeepsWhatWasWritten() {
    let buffer = ByteBuffer(capacity: 16)
    var expected = ""
    for round in 0..<200 {
      buffer.append("socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = " as StaticString)
      buffer.appendDecimal(round)
      buffer.append(repeating: 32, count: 3)
      buffer.append("é" + String(round))
      buffer.append(10)
      expected += "socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = \(round)   é\(round)\n"
    }
    #expect(text(buffer) == expected)
    buffer.removeAll()
    #expect(buffer.isEmpty)
    buffer.append([0, 255])
    #expect(Array(buffer.bytes) == [0, 255])
  }
}
