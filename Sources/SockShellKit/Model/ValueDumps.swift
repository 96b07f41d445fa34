extension Value {
  /// The entries of an array, in order; nil for any other value.
  var arrayEntries: [(key: ArrayKey, value: Value)]? {
    guard case .array(let items) = self else { return nil }
    return Array(items)
  }

  /// The class PHP would name for an object: a socket is PHP 8's `Socket`; an iovec has no PHP
  /// 8 class (PHP 5 dropped socket_iovec_*), so sockshell names it `Iovec`.
  var objectClass: String? {
    switch self {
    case .handle: "Socket"
    case .iovec: "Iovec"
    default: nil
    }
  }

  /// How var_dump names an object: `#3` is PHP's object number, which for a socket is its handle;
  /// an iovec keeps sockshell's `%3` so it is never mistaken for handle #3.
  var objectNumber: String {
    switch self {
    case .handle(let number): "#" + String(number)
    case .iovec(let number): "%" + String(number)
    default: ""
    }
  }
}

/// The text a dump builds. A dump that is returned (print_r's and var_export's `true`,
/// json_encode) is a string like any other and stops at the string limit; one that is printed
/// is handed on in chunks as it grows, so a large value is never held twice.
struct DumpText {
  private(set) var bytes: [UInt8] = []
  private let spill: (([UInt8]) -> Void)?
  /// The function, for the message when the limit is reached.
  private let function: String

  init(function: String, spill: (([UInt8]) -> Void)? = nil) {
    self.function = function
    self.spill = spill
  }

  mutating func append(_ text: String) { bytes += text.utf8 }
  mutating func append(_ more: some Sequence<UInt8>) { bytes += more }
  mutating func append(byte: UInt8) { bytes.append(byte) }
  mutating func spaces(_ count: Int) {
    if count > 0 { bytes += repeatElement(UInt8(ascii: " "), count: count) }
  }

  /// Called after each element: a value of up to the string limit is appended whole, so the text
  /// overshoots the limit by at most one element before this stops it.
  mutating func checkpoint() throws(ShellError) {
    if let spill {
      if bytes.count >= 1 << 16 {
        spill(bytes)
        bytes.removeAll(keepingCapacity: true)
      }
    } else if bytes.count > Value.maximumStringLength {
      throw ShellError("\(function): the result would exceed \(Value.maximumStringLength) bytes")
    }
  }

  /// What remains: handed on when printing, else the whole text.
  mutating func finish() throws(ShellError) -> [UInt8] {
    try checkpoint()
    if let spill {
      spill(bytes)
      bytes = []
    }
    return bytes
  }
}

/// var_dump, print_r and var_export, byte for byte as PHP 8 writes them.
enum ValueDump {
  /// PHP's `php_var_dump`: `level` starts at 1; an element's key is indented `level + 1` spaces and
  /// its value is dumped at `level + 2`.
  static func varDump(_ value: Value, level: Int, into out: inout DumpText) throws(ShellError) {
    if level > 1 { out.spaces(level - 1) }
    switch value {
    case .null: out.append("NULL\n")
    case .bool(let flag): out.append(flag ? "bool(true)\n" : "bool(false)\n")
    case .int(let number): out.append("int(\(number))\n")
    case .double(let number):
      out.append("float(")
      out.append(FloatText.repr(number))
      out.append(")\n")
    case .bytes(let bytes):
      out.append("string(\(bytes.count)) \"")
      out.append(bytes)
      out.append("\"\n")
    case .handle, .iovec:
      out.append("object(\(value.objectClass ?? ""))\(value.objectNumber) (0) {\n")
      if level > 1 { out.spaces(level - 1) }
      out.append("}\n")
    case .array:
      let entries = value.arrayEntries ?? []
      out.append("array(\(entries.count)) {\n")
      for (key, item) in entries {
        out.spaces(level + 1)
        switch key {
        case .int(let index): out.append("[\(index)]=>\n")
        case .string(let name):
          out.append("[\"")
          out.append(name)
          out.append("\"]=>\n")
        }
        try varDump(item, level: level + 2, into: &out)
        try out.checkpoint()
      }
      if level > 1 { out.spaces(level - 1) }
      out.append("}\n")
    }
  }

  /// PHP's `print_r`: scalars as echo prints them, arrays as `Array\n(\n    [0] => …\n)\n`,
  /// nested ones indented by 8 more and followed by a blank line.
  static func printR(_ value: Value, indent: Int, into out: inout DumpText) throws(ShellError) {
    switch value {
    case .array:
      out.append("Array\n")
      try printEntries(value.arrayEntries ?? [], indent: indent, into: &out)
    case .handle, .iovec:
      out.append("\(value.objectClass ?? "") Object\n")
      try printEntries([], indent: indent, into: &out)
    default:
      out.append(value.phpString)
    }
  }

  private static func printEntries(
    _ entries: [(key: ArrayKey, value: Value)], indent: Int, into out: inout DumpText
  ) throws(ShellError) {
    out.spaces(indent)
    out.append("(\n")
    for (key, item) in entries {
      out.spaces(indent + 4)
      out.append("[")
      switch key {
      case .int(let index): out.append(String(index))
      case .string(let name): out.append(name)
      }
      out.append("] => ")
      try printR(item, indent: indent + 8, into: &out)
      out.append("\n")
      try out.checkpoint()
    }
    out.spaces(indent)
    out.append(")\n")
  }

  /// PHP's `var_export`: PHP source that rebuilds the value. `level` starts at 1.
  static func varExport(_ value: Value, level: Int, into out: inout DumpText) throws(ShellError) {
    switch value {
    case .null: out.append("NULL")
    case .bool(let flag): out.append(flag ? "true" : "false")
    // PHP_INT_MIN written as a literal would read back as a float.
    case .int(let number): out.append(number == Int.min ? "-9223372036854775807-1" : String(number))
    case .double(let number): out.append(FloatText.export(number))
    case .bytes(let bytes): out.append(quoted(bytes))
    case .handle, .iovec:
      if level > 1 {
        out.append("\n")
        out.spaces(level - 1)
      }
      out.append("\\\(value.objectClass ?? "")::__set_state(array(\n")
      if level > 1 { out.spaces(level - 1) }
      out.append("))")
    case .array:
      if level > 1 {
        out.append("\n")
        out.spaces(level - 1)
      }
      out.append("array (\n")
      for (key, item) in value.arrayEntries ?? [] {
        out.spaces(level + 1)
        switch key {
        case .int(let index): out.append(String(index))
        case .string(let name): out.append(quoted(name))
        }
        out.append(" => ")
        try varExport(item, level: level + 2, into: &out)
        out.append(",\n")
        try out.checkpoint()
      }
      if level > 1 { out.spaces(level - 1) }
      out.append(")")
    }
  }

  /// A single-quoted PHP string: `'` and `\` escaped, and a NUL byte, which single quotes cannot
  /// hold, spliced in as `' . "\0" . '`.
  static func quoted(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [UInt8(ascii: "'")]
    out.reserveCapacity(bytes.count + 2)
    for byte in bytes {
      switch byte {
      case UInt8(ascii: "'"), UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), byte]
      case 0: out += Array(#"' . "\0" . '"#.utf8)
      default: out.append(byte)
      }
    }
    out.append(UInt8(ascii: "'"))
    return out
  }
}
