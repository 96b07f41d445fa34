import Glibc

/// PHP's string functions the tutorial uses, and count. They make no system call.
enum StringFunctions {
  static let commands: [CommandSpec] = [
    strrev, strlen, trim, rtrim, ltrim, strtoupper, strtolower, substr, strRepeat, bin2hex, hex2bin, count,
  ]

  private static func unary(
    _ name: String, _ summary: String, _ transform: @escaping @Sendable ([UInt8]) throws(ShellError) -> Value
  ) -> CommandSpec {
    CommandSpec(
      name: name, family: .strings, synopsis: "\(name)(STRING)", php: "\(name)(string $string)",
      summary: summary
    ) { (call: inout Invocation) throws(ShellError) -> Value in
      try call.expect(1...1)
      return try transform(try call.bytes(0, "the string"))
    }
  }

  static let strrev = unary("strrev", "Reverse a string, byte by byte.") { .bytes($0.reversed()) }
  static let strlen = unary("strlen", "The length of a string in bytes.") { .int($0.count) }
  static let strtoupper = unary("strtoupper", "Upper-case ASCII letters.") {
    .bytes($0.map { (97...122).contains($0) ? $0 - 32 : $0 })
  }
  static let strtolower = unary("strtolower", "Lower-case ASCII letters.") {
    .bytes($0.map { (65...90).contains($0) ? $0 + 32 : $0 })
  }
  static let bin2hex = unary("bin2hex", "Each byte as two hex digits.") { (bytes) throws(ShellError) in
    guard bytes.count <= Value.maximumStringLength / 2 else {
      throw ShellError("bin2hex: the result would exceed \(Value.maximumStringLength) bytes")
    }
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count * 2)
    for byte in bytes {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 15)])
    }
    return .bytes(out)
  }

  static let hex2bin = CommandSpec(
    name: "hex2bin", family: .strings, synopsis: "hex2bin(HEX)", php: "hex2bin(string $string): string|false",
    summary: "Bytes from pairs of hex digits."
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...1)
    let hex = try call.bytes(0, "the hex string")
    guard hex.count % 2 == 0 else { throw call.usage("the hex string must have an even number of digits") }
    var out: [UInt8] = []
    var index = 0
    while index < hex.count {
      guard let high = hexDigit(hex[index]), let low = hexDigit(hex[index + 1]) else {
        throw call.usage("'\(String(decoding: hex[index...index + 1], as: UTF8.self))' is not a hex byte")
      }
      out.append(high << 4 | low)
      index += 2
    }
    return .bytes(out)
  }

  private static func hexDigit(_ c: UInt8) -> UInt8? {
    switch c {
    case 48...57: c - 48
    case 65...70: c - 55
    case 97...102: c - 87
    default: nil
    }
  }

  /// PHP's default set of characters trim removes.
  private static let whitespace: [UInt8] = [32, 9, 10, 13, 0, 11]

  private static func trimmer(_ name: String, _ summary: String, leading: Bool, trailing: Bool) -> CommandSpec
  {
    CommandSpec(
      name: name, family: .strings, synopsis: "\(name)(STRING [, CHARACTERS])",
      php: "\(name)(string $string, string $characters = \" \\n\\r\\t\\v\\x00\"): string", summary: summary
    ) { (call: inout Invocation) throws(ShellError) -> Value in
      try call.expect(1...2)
      var bytes = try call.bytes(0, "the string")[...]
      let strip = call.has(1) ? try call.bytes(1, "the characters") : whitespace
      if trailing { while let last = bytes.last, strip.contains(last) { bytes.removeLast() } }
      if leading { while let first = bytes.first, strip.contains(first) { bytes.removeFirst() } }
      return .bytes(Array(bytes))
    }
  }

  static let trim = trimmer(
    "trim", "Strip whitespace (or CHARACTERS) from both ends.", leading: true, trailing: true)
  static let rtrim = trimmer(
    "rtrim", "Strip whitespace (or CHARACTERS) from the end.", leading: false, trailing: true)
  static let ltrim = trimmer(
    "ltrim", "Strip whitespace (or CHARACTERS) from the start.", leading: true, trailing: false)

  static let substr = CommandSpec(
    name: "substr", family: .strings, synopsis: "substr(STRING, OFFSET [, LENGTH])",
    php: "substr(string $string, int $offset, ?int $length = null): string",
    summary: "Part of a string; negative OFFSET or LENGTH count from the end, as in PHP."
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...3)
    let bytes = try call.bytes(0, "the string")
    var start = try call.int(1, "the offset")
    if start < 0 { start = max(0, bytes.count + start) }
    start = min(start, bytes.count)
    var end = bytes.count
    if call.has(2) {
      let length = try call.int(2, "the length")
      // Clamped without adding: OFFSET + LENGTH may be past Int.max.
      end = length < 0 ? max(start, bytes.count + max(length, -bytes.count)) : start + min(length, bytes.count - start)
    }
    return .bytes(Array(bytes[start..<end]))
  }

  /// The largest string str_repeat builds, so a typo cannot eat the machine's memory.

  static let strRepeat = CommandSpec(
    name: "str_repeat", family: .strings, synopsis: "str_repeat(STRING, TIMES)",
    php: "str_repeat(string $string, int $times): string", summary: "A string repeated TIMES times."
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...2)
    let bytes = try call.bytes(0, "the string")
    let times = try call.int(1, "the count")
    guard times >= 0 else { throw call.usage("the count cannot be negative") }
    guard bytes.isEmpty || times <= Value.maximumStringLength / bytes.count else {
      throw ShellError("\(call.typedName): the result would exceed \(Value.maximumStringLength) bytes")
    }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count * times)
    for _ in 0..<times { out += bytes }
    return .bytes(out)
  }

  static let count = CommandSpec(
    name: "count", family: .strings, synopsis: "count(LIST)", php: "count(array $value): int",
    summary: "The number of items in a list (such as the ready handles select left)."
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...1)
    switch call.value(0) {
    case .list(let items): return .int(items.count)
    case .null: return .int(0)
    case let other: throw call.usage("count takes a list, not \(other.kindName)")
    }
  }
}
