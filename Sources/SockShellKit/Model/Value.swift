/// A value of the command language. Strings are bytes: data read from a socket may hold any byte.
public enum Value: Equatable, Sendable {
  /// The longest string a script can build (by `.`, str_repeat, bin2hex, …): far beyond what a
  /// lesson moves, and small enough that a runaway doubling stops with a message, not an abort.
  public static let maximumStringLength = 16 << 20
  /// How deep lists may hold lists. Printing, comparing and freeing a value recurse once per
  /// level: `$a = [$a]` a hundred thousand times would run the stack out.
  public static let maximumNesting = 200
  /// How many values lists may hold in all, counting every level: `$a = [$a, $a]` shares its
  /// storage, but printing or comparing it visits every copy, twice as many each time.
  public static let maximumListValues = 1 << 20

  /// How deep this value's lists go (0 for anything else) and how many values they hold in all,
  /// counted no further than one past either limit, so that the count itself stays cheap.
  public func listShape(
    depthLimit: Int = Value.maximumNesting, valueLimit: Int = Value.maximumListValues
  ) -> (depth: Int, values: Int) {
    var values = 0
    func depth(of value: Value, limit: Int) -> Int {
      guard case .array(let items) = value else { return 0 }
      values += items.count
      var deepest = 0
      for (_, item) in items {
        guard values <= valueLimit else { break }
        guard case .array = item else { continue }
        guard limit > 0 else { return 1 }
        deepest = max(deepest, depth(of: item, limit: limit - 1))
        if deepest > limit { break }
      }
      return deepest + 1
    }
    let deepest = depth(of: self, limit: depthLimit)
    return (deepest, values)
  }

  /// How deep this value's lists go, counted no further than one past `limit`.
  public func nesting(limit: Int = Value.maximumNesting) -> Int { listShape(depthLimit: limit).depth }

  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case bytes([UInt8])
  case handle(Int)
  /// PHP's array: an ordered map (Model/PHPArray.swift).
  indirect case array(PHPArray)
  /// An iovec object (`%1`): buffers for readv, writev, sendmsg and recvmsg.
  case iovec(Int)

  public static func string(_ text: String) -> Value { .bytes(Array(text.utf8)) }

  /// An array with the keys 0, 1, 2, …
  public static func list(_ values: [Value]) -> Value { .array(PHPArray(values)) }

  /// PHP's truthiness: false, null, 0, "", "0" and [] are false.
  public var isTruthy: Bool {
    switch self {
    case .null: false
    case .bool(let flag): flag
    case .int(let number): number != 0
    case .double(let number): number != 0
    case .bytes(let bytes): !(bytes.isEmpty || bytes == [UInt8(ascii: "0")])
    case .handle, .iovec: true
    case .array(let items): !items.isEmpty
    }
  }

  /// The bytes `echo` prints and `.` concatenates, as PHP converts to string (a float with PHP's
  /// 14 significant digits: `0.1 + 0.2` prints 0.3). An array is "Array", as PHP prints it.
  public var textBytes: [UInt8] {
    switch self {
    case .null: []
    case .bool(let flag): flag ? [UInt8(ascii: "1")] : []
    case .int(let number): Array(String(number).utf8)
    case .double(let number): FloatText.echo(number)
    case .bytes(let bytes): bytes
    case .handle(let number): Array("#\(number)".utf8)
    case .iovec(let number): Array("%\(number)".utf8)
    case .array: Array("Array".utf8)
    }
  }

  /// How sockshell shows a value to the learner: strings quoted and escaped.
  public var literal: String {
    switch self {
    case .null: "null"
    case .bool(let flag): flag ? "true" : "false"
    case .int(let number): String(number)
    // As var_export writes it: every digit, and `.0` on a whole number, so 1.0 is not shown as 1.
    case .double(let number): String(decoding: FloatText.export(number), as: UTF8.self)
    case .bytes(let bytes): "\"" + CString.escape(bytes, limit: nil) + "\""
    case .handle(let number): "#\(number)"
    case .iovec(let number): "%\(number)"
    case .array(let items):
      items.isList
        ? "[" + items.values.map(\.literal).joined(separator: ", ") + "]"
        : "[" + items.map { $0.key.value.literal + " => " + $0.value.literal }.joined(separator: ", ") + "]"
    }
  }

  /// The kind of value, for error messages: "a string", "a handle".
  public var kindName: String {
    switch self {
    case .null: "null"
    case .bool: "a boolean"
    case .int: "an integer"
    case .double: "a number"
    case .bytes: "a string"
    case .handle: "a handle"
    case .iovec: "an iovec"
    case .array: "an array"
    }
  }
}

/// C string escaping as strace prints it: `\n`, `\t`, `\"`, octal for other bytes.
public enum CString {
  /// A message with the control characters a user or a peer put in it made visible (`\x1b`), so
  /// text shown in a message can never drive the terminal. UTF-8 passes as it is.
  public static func escapingControls(_ text: String) -> String {
    guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f }) else { return text }
    let hex = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count + 8)
    for byte in text.utf8 {
      if byte < 0x20 || byte == 0x7f {
        out += [92, UInt8(ascii: "x"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
      } else {
        out.append(byte)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  public static func escape(_ bytes: some Collection<UInt8>, limit: Int?) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count + 8)
    var index = bytes.startIndex
    var emitted = 0
    while index != bytes.endIndex {
      if let limit, emitted >= limit { break }
      let byte = bytes[index]
      bytes.formIndex(after: &index)
      emitted += 1
      switch byte {
      case UInt8(ascii: "\n"): out += [92, UInt8(ascii: "n")]
      case UInt8(ascii: "\t"): out += [92, UInt8(ascii: "t")]
      case UInt8(ascii: "\r"): out += [92, UInt8(ascii: "r")]
      case 0x0b: out += [92, UInt8(ascii: "v")]
      case 0x0c: out += [92, UInt8(ascii: "f")]
      case UInt8(ascii: "\""): out += [92, UInt8(ascii: "\"")]
      case 92: out += [92, 92]
      case 0x20..<0x7f: out.append(byte)
      default:
        // strace writes the shortest octal form unless a digit follows, which would join it.
        let nextIsDigit = index != bytes.endIndex && (48...55).contains(bytes[index])
        out.append(92)
        if nextIsDigit || byte >= 0o100 { out.append(48 + (byte >> 6)) }
        if nextIsDigit || byte >= 0o10 { out.append(48 + ((byte >> 3) & 7)) }
        out.append(48 + (byte & 7))
      }
    }
    return String(decoding: out, as: UTF8.self)
  }
}
