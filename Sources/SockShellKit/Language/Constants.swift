import Glibc

/// The named constants a line may use: C's socket constants, PHP's, and every errno name.
public enum Constants {
  public static func value(of name: String) -> Value? {
    var name = name
    return name.withUTF8 { lookup($0)?.value }
  }

  /// The constant a word names, with the name as a String (the table's own, so a line that uses
  /// a constant makes none).
  static func lookup(_ name: UnsafeBufferPointer<UInt8>) -> (name: String, value: Value)? {
    let index = Constants.index
    if let found = index.names.found(name) { return (found.name, index.values[found.value]) }
    // Only upper-case words can name an errno; skip the search for `inet` or `localhost`.
    guard let first = name.first, first >= 65 && first <= 90 else { return nil }
    let text = String(decoding: name, as: UTF8.self)
    if let errno = Errno(name: text) { return (text, .int(Int(errno.number))) }
    return nil
  }

  /// The table for lookups from a line: one lazily made global, so one check per lookup.
  private static let index: (names: NameIndex, values: [Value]) = (
    NameIndex(table.keys.enumerated().map { ($0.element, $0.offset) }), Array(table.values)
  )

  /// Close spellings of an unknown name, for "did you mean".
  public static func suggestions(for name: String) -> [String] {
    let candidates = Array(table.keys) + Array(Errno.numbersByName.keys)
    return EditDistance.closest(to: name, in: candidates)
  }

  public static let table: [String: Value] = {
    var table: [String: Value] = [:]
    func add(_ entries: [(name: String, value: Int32)]) {
      for entry in entries { table[entry.name] = .int(Int(entry.value)) }
    }
    add(SocketNames.domains)
    add(SocketNames.domains.map { ("PF_" + $0.name.dropFirst(3), $0.value) })
    add(SocketNames.types)
    add(SocketNames.typeFlags)
    add(SocketNames.protocols)
    add(SocketNames.shutdownHows)
    add(SocketNames.messageFlags)
    // Option names come from the option table, so a new option is a constant without a second edit.
    add(SocketOption.all.map { ($0.name, $0.number) })
    table["AF_LOCAL"] = .int(Int(Int32(AF_UNIX)))
    table["PF_LOCAL"] = .int(Int(Int32(AF_UNIX)))
    table["SOL_SOCKET"] = .int(Int(Int32(SOL_SOCKET)))
    table["SOL_TCP"] = .int(Int(Int32(IPPROTO_TCP)))
    table["SOL_UDP"] = .int(Int(Int32(IPPROTO_UDP)))
    table["SOL_IP"] = .int(Int(Int32(IPPROTO_IP)))
    table["SOL_IPV6"] = .int(Int(Int32(IPPROTO_IPV6)))
    table["PHP_BINARY_READ"] = .int(Int(Int32(2)))
    table["PHP_NORMAL_READ"] = .int(Int(Int32(1)))
    table["FD_SETSIZE"] = .int(Int(Int32(FD_SETSIZE)))
    table["SOMAXCONN"] = .int(Int(Int32(SOMAXCONN)))
    table["PHP_EOL"] = .string("\n")
    // PHP's error classes, for error_reporting (E_STRICT is deprecated in PHP 8.4, still
    // defined in 8.2, whose semantics sockshell follows).
    for (name, bit) in [
      ("E_ERROR", 1), ("E_WARNING", 2), ("E_PARSE", 4), ("E_NOTICE", 8), ("E_CORE_ERROR", 16),
      ("E_CORE_WARNING", 32), ("E_COMPILE_ERROR", 64), ("E_COMPILE_WARNING", 128), ("E_USER_ERROR", 256),
      ("E_USER_WARNING", 512), ("E_USER_NOTICE", 1024), ("E_STRICT", 2048), ("E_RECOVERABLE_ERROR", 4096),
      ("E_DEPRECATED", 8192), ("E_USER_DEPRECATED", 16384), ("E_ALL", Int(PHPSettings.allErrors)),
    ] {
      table[name] = .int(bit)
    }
    table["PHP_INT_MAX"] = .int(Int.max)
    table["PHP_INT_MIN"] = .int(Int.min)
    table["PHP_INT_SIZE"] = .int(MemoryLayout<Int>.size)
    table["PHP_OS"] = .string("Linux")
    table["PHP_OS_FAMILY"] = .string("Linux")
    // sockshell is not PHP, but follows PHP 8.2: scripts that test PHP_VERSION_ID, the major
    // and minor version or version_compare(PHP_VERSION, "8.0.0") see 8.2, and the suffix (PHP's
    // place for a distribution's mark) says to anyone who prints it that this is sockshell.
    table["PHP_VERSION"] = .string("8.2.0-sockshell")
    table["PHP_MAJOR_VERSION"] = .int(8)
    table["PHP_MINOR_VERSION"] = .int(2)
    table["PHP_RELEASE_VERSION"] = .int(0)
    table["PHP_EXTRA_VERSION"] = .string("-sockshell")
    table["PHP_VERSION_ID"] = .int(80200)
    // PHP's own constants for the string and value functions.
    table["STR_PAD_LEFT"] = .int(0)
    table["STR_PAD_RIGHT"] = .int(1)
    table["STR_PAD_BOTH"] = .int(2)
    for (name, value) in JSONText.constants { table[name] = .int(value) }
    table["PHP_FLOAT_EPSILON"] = .double(Double.ulpOfOne)
    table["PHP_FLOAT_MAX"] = .double(Double.greatestFiniteMagnitude)
    table["PHP_FLOAT_MIN"] = .double(Double.leastNormalMagnitude)
    table["INF"] = .double(Double.infinity)
    table["NAN"] = .double(Double.nan)
    table["M_PI"] = .double(Double.pi)
    return table
  }()
}
