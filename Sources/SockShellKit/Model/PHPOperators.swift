import Glibc

/// The binary operators of PHP that work on two values, with PHP 8's semantics.
public enum BinaryOperator: Sendable, Equatable {
  case add, subtract, multiply, divide, modulo, power
  case bitAnd, bitOr, bitXor, shiftLeft, shiftRight
  case equal, notEqual, identical, notIdentical, less, greater, lessEqual, greaterEqual, spaceship

  /// As PHP spells it in its messages ("Unsupported operand types: string + int").
  public var spelling: String {
    switch self {
    case .add: "+"
    case .subtract: "-"
    case .multiply: "*"
    case .divide: "/"
    case .modulo: "%"
    case .power: "**"
    case .bitAnd: "&"
    case .bitOr: "|"
    case .bitXor: "^"
    case .shiftLeft: "<<"
    case .shiftRight: ">>"
    case .equal: "=="
    case .notEqual: "!="
    case .identical: "==="
    case .notIdentical: "!=="
    case .less: "<"
    case .greater: ">"
    case .lessEqual: "<="
    case .greaterEqual: ">="
    case .spaceship: "<=>"
    }
  }
}

/// An error PHP throws from an operator, in PHP's words: `DivisionByZeroError: Division by zero`.
public struct OperatorError: Error, Sendable {
  public var message: String
  public init(_ kind: String, _ message: String) { self.message = "\(kind): \(message)" }
}

/// PHP 8's operators on values. `warn` receives PHP's warnings ("A non-numeric value
/// encountered"); errors PHP throws are thrown. Every integer operation is checked: an overflow
/// becomes a float as in PHP, nothing traps.
public enum PHPOperators {
  enum Number {
    case int(Int)
    case double(Double)
    var double: Double {
      switch self {
      case .int(let n): Double(n)
      case .double(let d): d
      }
    }
    var value: Value {
      switch self {
      case .int(let n): .int(n)
      case .double(let d): .double(d)
      }
    }
  }

  static func typeError(_ left: Value, _ op: String, _ right: Value) -> OperatorError {
    OperatorError("TypeError", "Unsupported operand types: \(left.phpTypeName) \(op) \(right.phpTypeName)")
  }

  /// An operand of arithmetic as PHP 8 converts it; nil when PHP throws a TypeError for it.
  static func number(_ value: Value, warn: (String) -> Void) -> Number? {
    switch value {
    case .null: return .int(0)
    case .bool(let flag): return .int(flag ? 1 : 0)
    case .int(let n): return .int(n)
    case .double(let d): return .double(d)
    case .bytes(let bytes):
      let parsed = NumericString(bytes)
      switch parsed.form {
      case .nonNumeric: return nil
      case .leadingNumeric: warn("A non-numeric value encountered")
      case .numeric: break
      }
      if case .int(let n) = parsed.number { return .int(n) }
      return .double(parsed.double)
    case .array, .handle, .iovec: return nil
    }
  }

  public static func binary(
    _ op: BinaryOperator, _ left: Value, _ right: Value, warn: (String) -> Void
  ) throws(OperatorError) -> Value {
    switch op {
    case .add, .subtract, .multiply, .divide, .modulo, .power:
      return try arithmetic(op, left, right, warn: warn)
    case .bitAnd, .bitOr, .bitXor, .shiftLeft, .shiftRight:
      return try bitwise(op, left, right, warn: warn)
    case .equal: return .bool(looseEquals(left, right))
    case .notEqual: return .bool(!looseEquals(left, right))
    case .identical: return .bool(identical(left, right))
    case .notIdentical: return .bool(!identical(left, right))
    case .less: return .bool(compare(left, right) < 0)
    case .greater: return .bool(compare(right, left) < 0)
    case .lessEqual: return .bool(compare(left, right) <= 0)
    case .greaterEqual: return .bool(compare(right, left) <= 0)
    case .spaceship: return .int(compare(left, right))
    }
  }

  static func arithmetic(
    _ op: BinaryOperator, _ left: Value, _ right: Value, warn: (String) -> Void
  ) throws(OperatorError) -> Value {
    // `+` of two arrays is their union: the left's keys, then the right's keys it lacks.
    if op == .add, case .array(var union) = left, case .array(let b) = right {
      for (key, value) in b where union[key] == nil { union.set(key, value) }
      return .array(union)
    }
    guard let a = number(left, warn: warn), let b = number(right, warn: warn) else {
      throw typeError(left, op.spelling, right)
    }
    switch op {
    case .add, .subtract, .multiply:
      if case .int(let x) = a, case .int(let y) = b {
        let (result, overflow) =
          op == .add
          ? x.addingReportingOverflow(y)
          : op == .subtract ? x.subtractingReportingOverflow(y) : x.multipliedReportingOverflow(by: y)
        if !overflow { return .int(result) }
      }
      let x = a.double
      let y = b.double
      return .double(op == .add ? x + y : op == .subtract ? x - y : x * y)
    case .divide:
      if b.double == 0 { throw OperatorError("DivisionByZeroError", "Division by zero") }
      if case .int(let x) = a, case .int(let y) = b, !(x == Int.min && y == -1), x % y == 0 {
        return .int(x / y)
      }
      return .double(a.double / b.double)
    case .modulo:
      let x = integer(a)
      let y = integer(b)
      if y == 0 { throw OperatorError("DivisionByZeroError", "Modulo by zero") }
      // PHP_INT_MIN % -1 would overflow in C; PHP answers 0.
      if y == -1 { return .int(0) }
      return .int(x % y)
    default:
      return power(a, b)
    }
  }

  static func integer(_ number: Number) -> Int {
    switch number {
    case .int(let n): n
    case .double(let d): Value.wrappingInt(d)
    }
  }

  /// `**` as PHP computes it: exact in integers by squaring while no product overflows, then in
  /// floats; a negative exponent or a float operand goes straight to pow. At most 64 rounds.
  static func power(_ base: Number, _ exponent: Number) -> Value {
    guard case .int(let b) = base, case .int(var i) = exponent, i >= 0 else {
      return .double(pow(base.double, exponent.double))
    }
    if i == 0 { return .int(1) }
    if b == 0 { return .int(0) }
    var l1 = 1
    var l2 = b
    while i >= 1 {
      if i % 2 != 0 {
        i -= 1
        let (product, overflow) = l1.multipliedReportingOverflow(by: l2)
        if overflow { return .double(Double(l1) * Double(l2) * pow(Double(l2), Double(i))) }
        l1 = product
      } else {
        i /= 2
        let (product, overflow) = l2.multipliedReportingOverflow(by: l2)
        if overflow { return .double(Double(l1) * pow(Double(l2) * Double(l2), Double(i))) }
        l2 = product
      }
    }
    return .int(l1)
  }

  /// An operand of `& | ^ << >> ~` as an integer, or nil for PHP's TypeError.
  static func bits(_ value: Value, warn: (String) -> Void) -> Int? {
    guard let n = number(value, warn: warn) else { return nil }
    return integer(n)
  }

  static func bitwise(
    _ op: BinaryOperator, _ left: Value, _ right: Value, warn: (String) -> Void
  ) throws(OperatorError) -> Value {
    // Two strings combine byte by byte: `&` and `^` as long as the shorter, `|` the longer.
    if op == .bitAnd || op == .bitOr || op == .bitXor, case .bytes(let a) = left, case .bytes(let b) = right {
      let common = min(a.count, b.count)
      var out = [UInt8](repeating: 0, count: op == .bitOr ? max(a.count, b.count) : common)
      for index in 0..<common {
        out[index] = op == .bitAnd ? a[index] & b[index] : op == .bitOr ? a[index] | b[index] : a[index] ^ b[index]
      }
      if op == .bitOr {
        let longer = a.count > b.count ? a : b
        for index in common..<longer.count { out[index] = longer[index] }
      }
      return .bytes(out)
    }
    guard let x = bits(left, warn: warn), let y = bits(right, warn: warn) else {
      throw typeError(left, op.spelling, right)
    }
    switch op {
    case .bitAnd: return .int(x & y)
    case .bitOr: return .int(x | y)
    case .bitXor: return .int(x ^ y)
    default:
      if y < 0 { throw OperatorError("ArithmeticError", "Bit shift by negative number") }
      if op == .shiftLeft { return .int(y >= 64 ? 0 : x << y) }
      return .int(y >= 64 ? (x < 0 ? -1 : 0) : x >> y)
    }
  }

  /// `~`: an integer's bits flipped (a float truncated first), a string's bytes flipped.
  public static func bitNot(_ value: Value) throws(OperatorError) -> Value {
    switch value {
    case .int(let n): return .int(~n)
    case .double(let d): return .int(~Value.wrappingInt(d))
    case .bytes(let bytes): return .bytes(bytes.map { ~$0 })
    default: throw OperatorError("TypeError", "Cannot perform bitwise not on \(value.phpTypeName)")
    }
  }

  // MARK: - Comparison

  /// PHP 8's `===`: the same type and the same value; arrays with identical items in order.
  public static func identical(_ left: Value, _ right: Value) -> Bool {
    switch (left, right) {
    case (.double(let a), .double(let b)): a == b
    case (.array(let a), .array(let b)):
      a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && identical($0.value, $1.value) }
    default: left == right
    }
  }

  public static func looseEquals(_ left: Value, _ right: Value) -> Bool {
    // NAN equals nothing, itself included; compare's three-way answer would say 1, not 0.
    compare(left, right) == 0
  }

  static func threeWay<T: Comparable>(_ a: T, _ b: T) -> Int { a == b ? 0 : a < b ? -1 : 1 }

  static func compareBytes(_ a: [UInt8], _ b: [UInt8]) -> Int {
    let common = min(a.count, b.count)
    for index in 0..<common where a[index] != b[index] { return a[index] < b[index] ? -1 : 1 }
    return threeWay(a.count, b.count)
  }

  static func compareNumbers(_ a: Number, _ b: Number) -> Int {
    if case .int(let x) = a, case .int(let y) = b { return threeWay(x, y) }
    return threeWay(a.double, b.double)
  }

  static func numericForm(_ bytes: [UInt8]) -> Number? {
    let parsed = NumericString(bytes)
    guard parsed.form == .numeric else { return nil }
    if case .int(let n) = parsed.number { return .int(n) }
    return .double(parsed.double)
  }

  /// A number against a string, as PHP 8 compares them: as numbers when the string is numeric,
  /// otherwise as strings, the number written as echo writes it.
  static func compareNumber(_ number: Number, toString bytes: [UInt8]) -> Int {
    if let other = numericForm(bytes) { return compareNumbers(number, other) }
    let text: [UInt8] =
      switch number {
      case .int(let n): Array(String(n).utf8)
      case .double(let d): FloatText.echo(d)
      }
    return compareBytes(text, bytes)
  }

  /// PHP 8's `<=>` (zend_compare): -1, 0 or 1; 1 also when the two cannot be ordered.
  public static func compare(_ left: Value, _ right: Value) -> Int {
    switch (left, right) {
    case (.int(let a), .int(let b)): return threeWay(a, b)
    case (.int(let a), .double(let b)): return threeWay(Double(a), b)
    case (.double(let a), .int(let b)): return threeWay(a, Double(b))
    case (.double(let a), .double(let b)): return threeWay(a, b)
    case (.array(let a), .array(let b)):
      // zend_hash_compare: the smaller array is less; otherwise each key of the left looked up
      // in the right, and a key the right lacks makes the two uncomparable (1).
      if a.count != b.count { return a.count < b.count ? -1 : 1 }
      for (key, x) in a {
        guard let y = b[key] else { return 1 }
        let order = compare(x, y)
        if order != 0 { return order }
      }
      return 0
    case (.null, .null): return 0
    case (.null, .bytes(let b)): return b.isEmpty ? 0 : -1
    case (.bytes(let a), .null): return a.isEmpty ? 0 : 1
    case (.bytes(let a), .bytes(let b)):
      if let x = numericForm(a), let y = numericForm(b) { return compareNumbers(x, y) }
      return compareBytes(a, b)
    case (.int(let a), .bytes(let b)): return compareNumber(.int(a), toString: b)
    case (.double(let a), .bytes(let b)): return compareNumber(.double(a), toString: b)
    case (.bytes(let a), .int(let b)): return -compareNumber(.int(b), toString: a)
    case (.bytes(let a), .double(let b)):
      // Negated, except that NAN stays unordered.
      let order = compareNumber(.double(b), toString: a)
      return b.isNaN ? 1 : -order
    case (.handle(let a), .handle(let b)): return a == b ? 0 : 1
    case (.iovec(let a), .iovec(let b)): return a == b ? 0 : 1
    default: break
    }
    // Null and booleans against anything else compare as booleans.
    switch (left, right) {
    case (.null, _), (.bool(false), _): return right.isTruthy ? -1 : 0
    case (.bool(true), _): return right.isTruthy ? 0 : 1
    case (_, .null), (_, .bool(false)): return left.isTruthy ? 1 : 0
    case (_, .bool(true)): return left.isTruthy ? 0 : -1
    default: break
    }
    // An array is greater than any scalar; an object cannot be ordered against the rest.
    if case .array = right, !(left.isObject) { return -1 }
    return 1
  }
}

extension Value {
  var isObject: Bool {
    switch self {
    case .handle, .iovec: true
    default: false
    }
  }
}

extension PHPOperators {
  /// `++` (delta 1) and `--` (delta -1) as PHP 8.2 applies them: null++ is 1 but null-- stays
  /// null, booleans do not change, a numeric string counts, any other string `++` counts in
  /// letters and digits as Perl does ("Az" → "Ba"), and `--` leaves it as it is.
  public static func increment(_ value: Value, by delta: Int) throws(OperatorError) -> Value {
    switch value {
    case .null: return delta > 0 ? .int(1) : .null
    case .bool: return value
    case .int(let n):
      let (result, overflow) = n.addingReportingOverflow(delta)
      return overflow ? .double(Double(n) + Double(delta)) : .int(result)
    case .double(let d): return .double(d + Double(delta))
    case .bytes(let bytes):
      if bytes.isEmpty { return delta > 0 ? .bytes([UInt8(ascii: "1")]) : .int(-1) }
      if let number = numericForm(bytes) {
        return try increment(number.value, by: delta)
      }
      return delta > 0 ? .bytes(incrementString(bytes)) : value
    case .array, .handle, .iovec:
      throw OperatorError("TypeError", "Cannot \(delta > 0 ? "increment" : "decrement") \(value.phpTypeName)")
    }
  }

  static func incrementString(_ input: [UInt8]) -> [UInt8] {
    enum Kind { case lower, upper, digit }
    var bytes = input
    var position = bytes.count - 1
    var carry = false
    var last = Kind.lower
    while position >= 0 {
      let c = bytes[position]
      switch c {
      case UInt8(ascii: "a")...UInt8(ascii: "z"):
        carry = c == UInt8(ascii: "z")
        bytes[position] = carry ? UInt8(ascii: "a") : c + 1
        last = .lower
      case UInt8(ascii: "A")...UInt8(ascii: "Z"):
        carry = c == UInt8(ascii: "Z")
        bytes[position] = carry ? UInt8(ascii: "A") : c + 1
        last = .upper
      case UInt8(ascii: "0")...UInt8(ascii: "9"):
        carry = c == UInt8(ascii: "9")
        bytes[position] = carry ? UInt8(ascii: "0") : c + 1
        last = .digit
      default:
        carry = false
      }
      if !carry { break }
      position -= 1
    }
    guard carry else { return bytes }
    let first: UInt8 =
      switch last {
      case .lower: UInt8(ascii: "a")
      case .upper: UInt8(ascii: "A")
      case .digit: UInt8(ascii: "1")
      }
    return [first] + bytes
  }
}
