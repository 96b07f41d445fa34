import Glibc

/// What PHP 8 makes of a string used as a number, read as its `is_numeric_string` reads it:
/// whitespace (` \t\n\r\v\f`) may surround the number, an integer too long for 64 bits becomes a
/// float, and "1e3", "1.", ".5" are floats.
public struct NumericString: Equatable, Sendable {
  public enum Form: Equatable, Sendable {
    /// The whole string is a number: `is_numeric` is true, arithmetic takes it silently.
    case numeric
    /// A number followed by other text ("12abc"): casts take the number; PHP's arithmetic takes it
    /// too but warns "A non-numeric value encountered".
    case leadingNumeric
    /// No number at the start ("abc", "", "."): casts give 0; arithmetic in PHP 8 throws a TypeError.
    case nonNumeric
  }

  public var form: Form
  /// `.int` or `.double`; `.int(0)` when the string is not numeric.
  public var number: Value
  /// The number as `(float)` reads it, which C's strtod does: "-0" is -0.0, not the integer 0.
  public var double: Double {
    switch number {
    case .int(0) where negativeZero: -0.0
    case .int(let integer): Double(integer)
    case .double(let real): real
    default: 0
    }
  }
  private var negativeZero = false

  public init(_ bytes: some Collection<UInt8>) {
    let bytes = Array(bytes)
    var index = NumericString.skipWhitespace(bytes, from: 0)
    let start = index
    if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
      index += 1
    }
    let negative = start < bytes.count && bytes[start] == UInt8(ascii: "-")

    var end: Int
    if index < bytes.count, NumericString.isDigit(bytes[index]) {
      // Integer digits, as long as no point or exponent makes the number a float.
      var magnitude: UInt64 = 0
      var overflow = false
      while index < bytes.count, NumericString.isDigit(bytes[index]) {
        let product = magnitude.multipliedReportingOverflow(by: 10)
        let sum = product.partialValue.addingReportingOverflow(UInt64(bytes[index] - 48))
        overflow = overflow || product.overflow || sum.overflow
        magnitude = sum.partialValue
        index += 1
      }
      if NumericString.startsFraction(bytes, at: index) || NumericString.startsExponent(bytes, at: index) {
        (number, end) = NumericString.float(bytes, from: start)
      } else if !overflow, !negative || magnitude == 0, magnitude <= UInt64(Int.max) {
        negativeZero = negative
        number = .int(Int(magnitude))
        end = index
      } else if !overflow, negative, magnitude <= UInt64(Int.max) + 1 {
        number = .int(magnitude == UInt64(Int.max) + 1 ? Int.min : -Int(magnitude))
        end = index
      } else {
        // Beyond 64 bits: PHP reads the digits again as a float.
        (number, end) = NumericString.float(bytes, from: start)
      }
    } else if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "."),
      NumericString.isDigit(bytes[index + 1])
    {
      (number, end) = NumericString.float(bytes, from: start)
    } else {
      form = .nonNumeric
      number = .int(0)
      return
    }
    form = NumericString.skipWhitespace(bytes, from: end) == bytes.count ? .numeric : .leadingNumeric
  }

  static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

  static func isWhitespace(_ c: UInt8) -> Bool { c == 32 || (c >= 9 && c <= 13) }

  private static func skipWhitespace(_ bytes: [UInt8], from start: Int) -> Int {
    var index = start
    while index < bytes.count, isWhitespace(bytes[index]) { index += 1 }
    return index
  }

  private static func startsFraction(_ bytes: [UInt8], at index: Int) -> Bool {
    index < bytes.count && bytes[index] == UInt8(ascii: ".")
  }

  /// `e5`, `E-5`: an exponent needs a digit; "1e" is the integer 1 followed by text.
  private static func startsExponent(_ bytes: [UInt8], at index: Int) -> Bool {
    guard index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") else { return false }
    var next = index + 1
    if next < bytes.count, bytes[next] == UInt8(ascii: "-") || bytes[next] == UInt8(ascii: "+") { next += 1 }
    return next < bytes.count && isDigit(bytes[next])
  }

  /// The longest float at `start` as C's strtod reads a decimal number (no hex, no "inf"), and
  /// where it ends. Too large is INF, too small 0, as strtod has them.
  private static func float(_ bytes: [UInt8], from start: Int) -> (Value, Int) {
    var index = start
    if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
      index += 1
    }
    while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    if startsFraction(bytes, at: index) {
      index += 1
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    if startsExponent(bytes, at: index) {
      index += 1
      if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    let value = Double(String(decoding: bytes[start..<index], as: UTF8.self)) ?? 0
    return (.double(value), index)
  }
}

/// PHP 8's conversions between values, in one place so that functions and operators agree:
/// `(int)`, `(float)`, `(string)`, `(bool)`, and `is_numeric`.
extension Value {
  /// `(int) $value` and `intval($value)`: a float is truncated (and wrapped modulo 2^64 beyond
  /// 64 bits, as PHP 8 does on 64-bit machines; INF and NAN give 0), a string's leading number is
  /// taken with a float's limits saturated, an array is 1 when it has items.
  /// PHP warns when it drops the text after "12abc" in arithmetic; casts and intval never do.
  public var phpInt: Int {
    switch self {
    case .null: 0
    case .bool(let flag): flag ? 1 : 0
    case .int(let number): number
    case .double(let number): Value.wrappingInt(number)
    case .bytes(let bytes):
      switch NumericString(bytes).number {
      case .int(let number): number
      case .double(let number): Value.saturatingInt(number)
      default: 0
      }
    case .array(let items): items.isEmpty ? 0 : 1
    // PHP converts an object to 1 (with a warning that it cannot be converted).
    case .handle, .iovec: 1
    }
  }

  /// `(float) $value` and `floatval($value)`.
  public var phpDouble: Double {
    switch self {
    case .null: 0
    case .bool(let flag): flag ? 1 : 0
    case .int(let number): Double(number)
    case .double(let number): number
    case .bytes(let bytes): NumericString(bytes).double
    case .array(let items): items.isEmpty ? 0 : 1
    case .handle, .iovec: 1
    }
  }

  /// `(string) $value`, `strval`, `sprintf`'s `%s`: an array is the word "Array" (PHP warns "Array
  /// to string conversion"). A socket cannot be a string in PHP; sockshell writes its handle `#1`.
  public var phpString: [UInt8] {
    if case .array = self { return Array("Array".utf8) }
    return textBytes
  }

  /// `is_numeric`: ints and floats, and strings that are numbers as a whole (whitespace around
  /// them allowed, as PHP 8 allows it).
  public var isNumeric: Bool {
    switch self {
    case .int, .double: true
    case .bytes(let bytes): NumericString(bytes).form == .numeric
    default: false
    }
  }

  /// PHP's name for the value's type, as its TypeErrors and gettype() give it.
  public var phpTypeName: String {
    switch self {
    case .null: "null"
    case .bool: "bool"
    case .int: "int"
    case .double: "float"
    case .bytes: "string"
    case .array: "array"
    case .handle: "Socket"
    case .iovec: "Iovec"
    }
  }

  /// PHP 8's float to int on 64-bit machines: truncated toward zero, wrapped modulo 2^64 when out
  /// of range, 0 for INF and NAN.
  public static func wrappingInt(_ number: Double) -> Int {
    guard number.isFinite else { return 0 }
    let twoTo63 = 9_223_372_036_854_775_808.0
    if number >= -twoTo63 && number < twoTo63 { return Int(number) }
    var remainder = fmod(number, 2 * twoTo63)
    if remainder < 0 { remainder += 2 * twoTo63 }
    guard let bits = UInt64(exactly: remainder.rounded(.towardZero)) else { return 0 }
    return Int(bitPattern: UInt(bits))
  }

  /// A float read from a string, to int: saturated at the ends of Int (PHP's
  /// `zend_dval_to_lval_cap`), 0 for INF and NAN.
  public static func saturatingInt(_ number: Double) -> Int {
    guard number.isFinite else { return 0 }
    if number >= 9_223_372_036_854_775_808.0 { return Int.max }
    if number < -9_223_372_036_854_775_808.0 { return Int.min }
    return Int(number)
  }

  /// `intval($string, $base)` for a base other than 10: C's strtol (leading whitespace, a sign,
  /// `0x` for base 16, base 0 choosing from the prefix; saturated on overflow; 0 for a base
  /// outside 2...36), plus PHP's own `0b` prefix for bases 0 and 2.
  public static func intval(_ bytes: [UInt8], base: Int) -> Int {
    var index = 0
    while index < bytes.count, NumericString.isWhitespace(bytes[index]) { index += 1 }
    var negative = false
    if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
      negative = bytes[index] == UInt8(ascii: "-")
      index += 1
    }
    func prefixed(_ letter: UInt8) -> Bool {
      index + 1 < bytes.count && bytes[index] == UInt8(ascii: "0") && bytes[index + 1] | 0x20 == letter
    }
    var radix = base
    if (base == 0 || base == 2) && prefixed(UInt8(ascii: "b")) {
      // PHP strips "0b" itself, after whitespace and a sign, before strtol sees the digits.
      radix = 2
      index += 2
    } else if (base == 0 || base == 16) && prefixed(UInt8(ascii: "x")) && index + 2 < bytes.count
      && digitValue(bytes[index + 2]).map({ $0 < 16 }) == true
    {
      radix = 16
      index += 2
    } else if base == 0 {
      radix = index < bytes.count && bytes[index] == UInt8(ascii: "0") ? 8 : 10
    }
    guard radix >= 2 && radix <= 36 else { return 0 }
    // Accumulated negative, as strtol does, so that Int.min is reachable.
    var value = 0
    var saturated = false
    while index < bytes.count, let digit = digitValue(bytes[index]), digit < radix {
      index += 1
      if saturated { continue }
      let product = value.multipliedReportingOverflow(by: radix)
      let sum = product.partialValue.subtractingReportingOverflow(digit)
      if product.overflow || sum.overflow {
        saturated = true
      } else {
        value = sum.partialValue
      }
    }
    if saturated { return negative ? Int.min : Int.max }
    if negative { return value }
    return value == Int.min ? Int.max : -value
  }

  private static func digitValue(_ c: UInt8) -> Int? {
    switch c {
    case 48...57: Int(c - 48)
    case 65...90: Int(c - 55)
    case 97...122: Int(c - 87)
    default: nil
    }
  }
}
