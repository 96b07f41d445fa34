import Glibc

/// PHP's string functions that socket programs use, and count. They make no system call.
enum StringFunctions {
  static let commands: [CommandSpec] = [
    strrev, strlen, trim, rtrim, ltrim, strtoupper, strtolower, ucfirst, substr, strpos, strContains,
    strStartsWith, strEndsWith, strRepeat, strPad, strReplace, explode, implode, sprintf, printf, numberFormat,
    bin2hex, hex2bin, count,
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
    let total = bytes.count * times
    // One copy, then what is filled copied after itself until the whole is: a 64 KiB block of
    // "x" takes 17 copies, not 65,536 appends.
    let out = [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
      guard let start = buffer.baseAddress, total > 0 else { return }
      bytes.withUnsafeBufferPointer { start.initialize(from: $0.baseAddress!, count: bytes.count) }
      var filled = bytes.count
      while filled < total {
        let count = min(filled, total - filled)
        (start + filled).initialize(from: start, count: count)
        filled += count
      }
      initialized = total
    }
    return .bytes(out)
  }

  static let count = CommandSpec(
    name: "count", family: .strings, synopsis: "count(LIST)", php: "count(array $value): int",
    summary: "The number of items in a list (such as the ready handles select left)."
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...1)
    switch call.value(0) {
    case .array(let items): return .int(items.count)
    case .null: return .int(0)
    case let other: throw call.usage("count takes a list, not \(other.kindName)")
    }
  }

  // MARK: - Searching

  static let ucfirst = unary("ucfirst", "The string with its first byte upper-cased (ASCII letters only).") {
    guard let first = $0.first, (97...122).contains(first) else { return .bytes($0) }
    return .bytes([first - 32] + $0.dropFirst())
  }

  static let strpos = CommandSpec(
    name: "strpos", family: .strings, synopsis: "strpos(HAYSTACK, NEEDLE [, OFFSET])",
    php: "strpos(string $haystack, string $needle, int $offset = 0): int|false",
    summary: "Where NEEDLE first occurs in HAYSTACK (from OFFSET; negative counts from the end), or false."
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...3)
    let haystack = try call.phpString(0, "haystack")
    let needle = try call.phpString(1, "needle")
    var offset = call.count > 2 ? try call.phpInt(2, "offset") : 0
    // A negative offset counts from the end; adding the length to it cannot overflow.
    if offset < 0 { offset += haystack.count }
    guard offset >= 0 && offset <= haystack.count else {
      throw call.valueError(2, "offset", "must be contained in argument #1 ($haystack)")
    }
    return BytePattern(needle).firstIndex(in: haystack, from: offset).map { .int($0) } ?? .bool(false)
  }

  /// str_contains, str_starts_with, str_ends_with: a yes-or-no question about two strings.
  private static func test(
    _ name: String, _ summary: String, _ answer: @escaping @Sendable ([UInt8], [UInt8]) -> Bool
  ) -> CommandSpec {
    CommandSpec(
      name: name, family: .strings, synopsis: "\(name)(HAYSTACK, NEEDLE)",
      php: "\(name)(string $haystack, string $needle): bool", summary: summary
    ) { (call: inout Invocation) throws(ShellError) -> Value in
      try call.expect(2...2)
      return .bool(answer(try call.phpString(0, "haystack"), try call.phpString(1, "needle")))
    }
  }

  static let strContains = test(
    "str_contains", "Whether NEEDLE occurs in HAYSTACK (an empty NEEDLE always does)."
  ) {
    BytePattern($1).firstIndex(in: $0) != nil
  }
  static let strStartsWith = test("str_starts_with", "Whether HAYSTACK begins with NEEDLE.") {
    $0.starts(with: $1)
  }
  static let strEndsWith = test("str_ends_with", "Whether HAYSTACK ends with NEEDLE.") {
    $1.count <= $0.count && $0[($0.count - $1.count)...].elementsEqual($1)
  }

  // MARK: - Building strings

  static let strPad = CommandSpec(
    name: "str_pad", family: .strings, synopsis: "str_pad(STRING, LENGTH [, PAD [, TYPE]])",
    php:
      "str_pad(string $string, int $length, string $pad_string = \" \", int $pad_type = STR_PAD_RIGHT): string",
    summary: "STRING padded to LENGTH bytes with PAD: on the right, STR_PAD_LEFT or STR_PAD_BOTH."
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...4)
    let bytes = try call.phpString(0, "string")
    let length = try call.phpInt(1, "length")
    let pad = call.count > 2 ? try call.phpString(2, "pad_string") : [UInt8(ascii: " ")]
    let type = call.count > 3 ? try call.phpInt(3, "pad_type") : 1
    // As PHP: nothing is checked when no padding is needed.
    guard length > bytes.count else { return .bytes(bytes) }
    guard !pad.isEmpty else { throw call.valueError(2, "pad_string", "must be a non-empty string") }
    guard (0...2).contains(type) else {
      throw call.valueError(3, "pad_type", "must be STR_PAD_LEFT, STR_PAD_RIGHT, or STR_PAD_BOTH")
    }
    guard length <= Value.maximumStringLength else { throw call.tooLong() }
    let missing = length - bytes.count
    let left = type == 0 ? missing : type == 2 ? missing / 2 : 0
    // Each side repeats PAD from its first byte.
    func padding(_ count: Int) -> [UInt8] { (0..<count).map { pad[$0 % pad.count] } }
    return .bytes(padding(left) + bytes + padding(missing - left))
  }

  static let strReplace = CommandSpec(
    name: "str_replace", family: .strings, synopsis: "str_replace(SEARCH, REPLACE, SUBJECT [, COUNT])",
    php:
      "str_replace(array|string $search, array|string $replace, string|array $subject, int &$count = null): string|array",
    summary: "SUBJECT with every SEARCH replaced by REPLACE; each may be a list. COUNT receives how many.",
    notes: """
      SEARCH and REPLACE may be lists: each search string is replaced in turn by the replacement
      at the same place (an empty string when REPLACE runs out). A list SUBJECT gives a list.
      A variable as COUNT is set to the number of replacements, as PHP's by-reference argument.
      """,
    outArguments: [3]
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(3...4)
    var notices: [String] = []
    func text(_ value: Value) -> [UInt8] {
      if case .array = value { notices.append("warning: str_replace(): Array to string conversion") }
      return value.phpString
    }
    // The pairs to apply, in order; an empty search string replaces nothing.
    var pairs: [(BytePattern, [UInt8])] = []
    switch (call.value(0), call.value(1)) {
    case (.array(let searchArray), .array(let replaceArray)):
      let searches = searchArray.values
      let replacements = replaceArray.values
      for (index, search) in searches.enumerated() {
        pairs.append((BytePattern(text(search)), index < replacements.count ? text(replacements[index]) : []))
      }
    case (.array(let searches), _):
      let replacement = try call.phpString(1, "replace")
      for (_, search) in searches { pairs.append((BytePattern(text(search)), replacement)) }
    case (_, .array):
      throw ShellError(
        "\(call.typedName): Argument #2 ($replace) must be of type string when argument #1 ($search) is a string"
      )
    default:
      pairs.append((BytePattern(try call.phpString(0, "search")), try call.phpString(1, "replace")))
    }
    var total = 0
    func replaced(_ subject: [UInt8]) throws(ShellError) -> [UInt8] {
      var current = subject
      for (pattern, replacement) in pairs where !pattern.needle.isEmpty {
        var out: [UInt8] = []
        var start = 0
        var found = false
        while let at = pattern.firstIndex(in: current, from: start) {
          found = true
          total += 1
          out += current[start..<at]
          guard replacement.count <= Value.maximumStringLength - out.count else { throw call.tooLong() }
          out += replacement
          start = at + pattern.needle.count
        }
        guard found else { continue }
        guard current.count - start <= Value.maximumStringLength - out.count else { throw call.tooLong() }
        out += current[start...]
        current = out
      }
      return current
    }
    let result: Value
    switch call.value(2) {
    case .array(let subjects):
      // Each subject replaced under its own key.
      var items = PHPArray()
      for (key, subject) in subjects {
        switch subject {
        case .handle, .iovec: throw ShellError("\(call.typedName): a socket cannot be converted to a string")
        default: items.set(key, .bytes(try replaced(text(subject))))
        }
      }
      result = .array(items)
    default:
      result = .bytes(try replaced(try call.phpString(2, "subject")))
    }
    for notice in notices { call.interpreter.notice(notice) }
    call.writeBack(3, .int(total))
    return result
  }

  /// explode makes at most this many pieces: a list of millions of one-byte strings would cost
  /// a hundred times the memory of the string it came from.
  static let maximumPieces = 1 << 20

  static let explode = CommandSpec(
    name: "explode", family: .strings, synopsis: "explode(SEPARATOR, STRING [, LIMIT])",
    php: "explode(string $separator, string $string, int $limit = PHP_INT_MAX): array",
    summary:
      "STRING split at each SEPARATOR into a list; LIMIT > 0 keeps the rest in the last piece, < 0 drops pieces."
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...3)
    let separator = try call.phpString(0, "separator")
    let bytes = try call.phpString(1, "string")
    let limit = call.count > 2 ? try call.phpInt(2, "limit") : Int.max
    guard !separator.isEmpty else { throw call.valueError(0, "separator", "cannot be empty") }
    if bytes.isEmpty { return .list(limit >= 0 ? [.bytes([])] : []) }
    let pattern = BytePattern(separator)
    var pieces: [Value] = []
    var start = 0
    // A positive limit stops splitting after LIMIT - 1 separators (0 counts as 1).
    let splits = limit > 0 ? limit - 1 : limit == 0 ? 0 : Int.max
    while pieces.count < splits, let at = pattern.firstIndex(in: bytes, from: start) {
      guard pieces.count < maximumPieces else {
        throw ShellError("\(call.typedName): the string splits into more than \(maximumPieces) pieces")
      }
      pieces.append(.bytes(Array(bytes[start..<at])))
      start = at + separator.count
    }
    pieces.append(.bytes(Array(bytes[start...])))
    if limit < 0 {
      // Drop the last -LIMIT pieces; magnitude, since -Int.min does not exist.
      let drop = limit.magnitude >= UInt(pieces.count) ? pieces.count : Int(limit.magnitude)
      pieces.removeLast(drop)
    }
    return .list(pieces)
  }

  static let implode = CommandSpec(
    name: "implode", aliases: ["join"], family: .strings, synopsis: "implode([SEPARATOR,] LIST)",
    php: "implode(string $separator, array $array): string  or  implode(array $array): string",
    summary: "The items of LIST joined into one string, SEPARATOR between them."
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...2)
    let separator: [UInt8]
    let items: [Value]
    switch (call.count, call.value(0), call.value(1)) {
    case (1, .array(let list), _):
      separator = []
      items = list.values
    case (1, _, _):
      throw ShellError(
        "\(call.typedName): Argument #1 ($array) must be of type array, \(call.value(0).phpTypeName) given")
    case (_, .array, _):
      // PHP 7.4 deprecated implode(array, separator) and PHP 8 refuses it.
      throw ShellError(
        "\(call.typedName): Argument #1 ($separator) must be of type string, array given "
          + "(PHP 8 takes the separator first: implode(SEPARATOR, LIST))")
    case (_, _, .array(let list)):
      separator = try call.phpString(0, "separator")
      items = list.values
    default:
      throw ShellError(
        "\(call.typedName): Argument #2 ($array) must be of type ?array, \(call.value(1).phpTypeName) given")
    }
    var out: [UInt8] = []
    for (index, item) in items.enumerated() {
      if case .array = item {
        call.interpreter.notice("warning: \(call.typedName)(): Array to string conversion")
      }
      let piece = (index > 0 ? separator : []) + item.phpString
      guard piece.count <= Value.maximumStringLength - out.count else { throw call.tooLong() }
      out += piece
    }
    return .bytes(out)
  }

  // MARK: - Formatting

  static let sprintf = CommandSpec(
    name: "sprintf", family: .strings, synopsis: "sprintf(FORMAT [, VALUES...])",
    php: "sprintf(string $format, mixed ...$values): string",
    summary: "VALUES formatted by FORMAT: %s %d %u %f %.2f %e %g %x %X %o %b %c %%, width, flags, %1$s.",
    notes: """
      A conversion is %[ARGNUM$][FLAGS][WIDTH][.PRECISION]TYPE. FLAGS: - (left-justify), + (always
      a sign), 0 or ' ' (pad with it), 'C (pad with the character C). WIDTH and PRECISION may be *,
      taken from the next value. Types: s string, d integer, u unsigned, f/F fixed float, e/E
      exponent, g/G the shorter of the two, x/X hex, o octal, b binary, c the byte, %% a percent.
      sockshell takes widths and precisions up to \(FormattedPrint.maximumField).
      """,
    example: #"sprintf("%-10s|%5.2f|%04d|%x", "port", 3.14159, 42, 255)"#
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    .bytes(try formatted(&call))
  }

  static let printf = CommandSpec(
    name: "printf", family: .strings, synopsis: "printf(FORMAT [, VALUES...])",
    php: "printf(string $format, mixed ...$values): int",
    summary: "Print VALUES formatted by FORMAT (as sprintf); the value is the number of bytes printed."
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    let bytes = try formatted(&call)
    call.interpreter.output.write(bytes)
    return .int(bytes.count)
  }

  private static func formatted(_ call: inout Invocation) throws(ShellError) -> [UInt8] {
    guard call.count >= 1 else { throw call.usage("expected a format") }
    let format = try call.phpString(0, "format")
    let result = try FormattedPrint.format(
      format, call.arguments.dropFirst().map(\.value), name: call.typedName)
    for notice in result.notices { call.interpreter.notice(notice) }
    return result.bytes
  }

  static let numberFormat = CommandSpec(
    name: "number_format", family: .strings,
    synopsis: "number_format(NUMBER [, DECIMALS [, POINT [, SEPARATOR]]])",
    php:
      "number_format(float $num, int $decimals = 0, ?string $decimal_separator = \".\", ?string $thousands_separator = \",\"): string",
    summary: "NUMBER rounded to DECIMALS places (half away from zero), with thousands separated: 1,234.57."
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...4)
    let number = try call.phpFloat(0, "num")
    let decimals = call.count > 1 ? try call.phpInt(1, "decimals") : 0
    // null keeps the default, as PHP's nullable separators do.
    let point = call.has(2) ? try call.phpString(2, "decimal_separator") : [UInt8(ascii: ".")]
    let separator = call.has(3) ? try call.phpString(3, "thousands_separator") : [UInt8(ascii: ",")]
    guard decimals <= FormattedPrint.maximumField else {
      throw ShellError(
        "\(call.typedName): \(decimals) decimals are more than sockshell allows (\(FormattedPrint.maximumField))"
      )
    }
    return .bytes(
      try FormattedPrint.numberFormat(
        number, decimals: decimals, point: point, separator: separator, name: call.typedName))
  }
}
