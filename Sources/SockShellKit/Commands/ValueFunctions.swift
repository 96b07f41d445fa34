/// PHP's functions that convert, test and show values: intval, is_numeric, var_dump, print_r,
/// json_encode. They make no system call; what they print is what PHP 8 prints, byte for byte.
enum ValueFunctions {
  static let commands: [CommandSpec] = [
    intval, floatval, strval, boolval, isInt, isFloat, isString, isBool, isArray, isNull, isNumeric, varDump,
    printR, varExport, jsonEncode,
  ]

  // MARK: - Conversions

  static let intval = CommandSpec(
    name: "intval", family: .values, synopsis: "intval(VALUE [, BASE])",
    php: "intval(mixed $value, int $base = 10): int",
    summary:
      "VALUE as an integer: \"12abc\" is 12, \"1e3\" 1000, 1.9 is 1; a string read in BASE (0: from its prefix).",
    notes: """
      A string gives its leading number ("  12abc" is 12, "abc" is 0); one beyond 64 bits gives
      PHP_INT_MAX or PHP_INT_MIN. A float is truncated toward zero; beyond 64 bits it wraps
      modulo 2^64, as PHP's does, and INF and NAN give 0. With a BASE other than 10 the
      string is read as C's strtol reads it: "ff" in base 16, "0x1A" in base 16 or 0, "0b101" in
      base 2 or 0, "017" in base 0 (octal).
      """,
    example: #"intval("0x1A", 16)"#
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...2)
    let base = call.count > 1 ? try call.phpInt(1, "base") : 10
    if base != 10, case .bytes(let bytes) = call.value(0) { return .int(Value.intval(bytes, base: base)) }
    return .int(call.value(0).phpInt)
  }

  static let floatval = CommandSpec(
    name: "floatval", aliases: ["doubleval"], family: .values, synopsis: "floatval(VALUE)",
    php: "floatval(mixed $value): float",
    summary: "VALUE as a float: \"1.5abc\" is 1.5, \"1e3\" 1000.0, \"abc\" 0.0."
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...1)
    return .double(call.value(0).phpDouble)
  }

  static let strval = CommandSpec(
    name: "strval", family: .values, synopsis: "strval(VALUE)", php: "strval(mixed $value): string",
    summary:
      "VALUE as the string echo prints: floats to 14 significant digits (0.1 + 0.2 is \"0.3\"), true \"1\", false \"\"."
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...1)
    if case .array = call.value(0) {
      call.interpreter.notice("warning: \(call.typedName)(): Array to string conversion")
    }
    return .bytes(call.value(0).phpString)
  }

  static let boolval = CommandSpec(
    name: "boolval", family: .values, synopsis: "boolval(VALUE)", php: "boolval(mixed $value): bool",
    summary: "VALUE's truth: false for false, 0, 0.0, \"\", \"0\", [] and null; true for anything else."
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...1)
    return .bool(call.value(0).isTruthy)
  }

  // MARK: - Type tests

  private static func test(
    _ name: String, aliases: [String] = [], _ summary: String, _ answer: @escaping @Sendable (Value) -> Bool
  ) -> CommandSpec {
    CommandSpec(
      name: name, aliases: aliases, family: .values, synopsis: "\(name)(VALUE)",
      php: "\(name)(mixed $value): bool", summary: summary
    ) { (call: inout Invocation) throws(ShellError) -> Value in
      try call.expect(1...1)
      return .bool(answer(call.value(0)))
    }
  }

  static let isInt = test(
    "is_int", aliases: ["is_integer", "is_long"], "Whether VALUE is an integer (not a numeric string)."
  ) {
    if case .int = $0 { true } else { false }
  }
  static let isFloat = test("is_float", aliases: ["is_double"], "Whether VALUE is a float.") {
    if case .double = $0 { true } else { false }
  }
  static let isString = test("is_string", "Whether VALUE is a string.") {
    if case .bytes = $0 { true } else { false }
  }
  static let isBool = test("is_bool", "Whether VALUE is true or false.") {
    if case .bool = $0 { true } else { false }
  }
  static let isArray = test("is_array", "Whether VALUE is an array (a list such as select leaves).") {
    if case .array = $0 { true } else { false }
  }
  static let isNull = test("is_null", "Whether VALUE is null.") { $0 == .null }
  static let isNumeric = test(
    "is_numeric",
    "Whether VALUE is a number or a numeric string (\" 12\", \"1e3\", \".5\"; not \"12abc\" or \"0x1A\")."
  ) { $0.isNumeric }

  // MARK: - Showing values

  /// Dumps printed as they are built, a chunk at a time.
  private static func printing(_ call: Invocation) -> DumpText {
    let output = call.interpreter.output
    return DumpText(function: call.typedName) { output.write($0) }
  }

  static let varDump = CommandSpec(
    name: "var_dump", family: .values, synopsis: "var_dump(VALUE [, VALUES...])",
    php: "var_dump(mixed $value, mixed ...$values): void",
    summary:
      "Print each VALUE with its type and size, as PHP 8 does: int(5), float(0.1), string(3) \"abc\", array(2) {…}.",
    notes: """
      Floats show every digit that tells them apart (float(0.30000000000000004)), where echo
      rounds to 14 (0.3). A socket shows as the object PHP 8 makes of it, numbered by its handle:
      object(Socket)#1 (0) {}; an iovec as object(Iovec)%1 (0) {}.
      """
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    guard call.count >= 1 else { throw call.usage("expected at least 1 argument, got 0") }
    var out = printing(call)
    for argument in call.arguments {
      try ValueDump.varDump(argument.value, level: 1, into: &out)
      try out.checkpoint()
    }
    _ = try out.finish()
    return .null
  }

  static let printR = CommandSpec(
    name: "print_r", family: .values, synopsis: "print_r(VALUE [, RETURN])",
    php: "print_r(mixed $value, bool $return = false): string|bool",
    summary: "Print VALUE readably (arrays as Array ( [0] => … )); with RETURN true, give the text instead."
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...2)
    let returning = call.count > 1 ? try call.phpBool(1, "return") : false
    var out = returning ? DumpText(function: call.typedName) : printing(call)
    try ValueDump.printR(call.value(0), indent: 0, into: &out)
    let text = try out.finish()
    return returning ? .bytes(text) : .bool(true)
  }

  static let varExport = CommandSpec(
    name: "var_export", family: .values, synopsis: "var_export(VALUE [, RETURN])",
    php: "var_export(mixed $value, bool $return = false): ?string",
    summary:
      "Print VALUE as PHP code that rebuilds it ('it\\'s', 1.0, array ( 0 => 1, )); with RETURN true, give it."
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...2)
    let returning = call.count > 1 ? try call.phpBool(1, "return") : false
    var out = returning ? DumpText(function: call.typedName) : printing(call)
    try ValueDump.varExport(call.value(0), level: 1, into: &out)
    let text = try out.finish()
    return returning ? .bytes(text) : .null
  }

  static let jsonEncode = CommandSpec(
    name: "json_encode", family: .values, synopsis: "json_encode(VALUE [, FLAGS [, DEPTH]])",
    php: "json_encode(mixed $value, int $flags = 0, int $depth = 512): string|false",
    summary:
      "VALUE as JSON: lists as [..], \"/\" as \"\\/\" and non-ASCII as \\u00e9 unless FLAGS say otherwise; false on failure.",
    notes: """
      FLAGS combine with |: JSON_PRETTY_PRINT, JSON_UNESCAPED_SLASHES, JSON_UNESCAPED_UNICODE,
      JSON_FORCE_OBJECT, JSON_NUMERIC_CHECK, JSON_PRESERVE_ZERO_FRACTION, JSON_HEX_TAG, JSON_HEX_AMP,
      JSON_HEX_APOS, JSON_HEX_QUOT, JSON_PARTIAL_OUTPUT_ON_ERROR, JSON_INVALID_UTF8_IGNORE,
      JSON_INVALID_UTF8_SUBSTITUTE, JSON_UNESCAPED_LINE_TERMINATORS, JSON_THROW_ON_ERROR.
      INF, NAN and bytes that are not UTF-8 make the value false (an error with JSON_THROW_ON_ERROR);
      data read from a socket often is not UTF-8: bin2hex it first, or use JSON_INVALID_UTF8_SUBSTITUTE.
      """,
    example: "json_encode([1, \"a/b\", 0.5], JSON_PRETTY_PRINT|JSON_UNESCAPED_SLASHES)"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...3)
    let options = JSONText.Options(rawValue: call.count > 1 ? try call.phpInt(1, "flags") : 0)
    let depth = call.count > 2 ? try call.phpInt(2, "depth") : 512
    let (text, failure) = try JSONText.encode(call.value(0), options: options, depth: depth)
    if let failure, options.contains(.throwOnError), !options.contains(.partialOutputOnError) {
      throw ShellError("\(call.typedName): \(failure.message)")
    }
    return text.map { .bytes($0) } ?? .bool(false)
  }
}
