/// Arguments of PHP's own functions, coerced as PHP 8 coerces a scalar parameter outside strict
/// mode: `"5"` is an int, `"12abc"` is not, an array is never a string. A refusal names the
/// argument as PHP's TypeError does: `str_pad: Argument #2 ($length) must be of type int, string given`.
extension Invocation {
  private func typeError(_ position: Int, _ parameter: String, _ type: String) -> ShellError {
    ShellError(
      "\(typedName): Argument #\(position + 1) ($\(parameter)) must be of type \(type), "
        + "\(value(position).phpTypeName) given")
  }

  /// An `int` parameter: an int, a bool, null (0), a float with no fraction within range, or a
  /// numeric string of one of these. PHP 8.1 also takes a fractional float (deprecated),
  /// truncating it; so does sockshell.
  func phpInt(_ position: Int, _ parameter: String) throws(ShellError) -> Int {
    var current = value(position)
    if case .bytes(let bytes) = current {
      let numeric = NumericString(bytes)
      guard numeric.form == .numeric else { throw typeError(position, parameter, "int") }
      current = numeric.number
    }
    switch current {
    case .null: return 0
    case .bool(let flag): return flag ? 1 : 0
    case .int(let number): return number
    case .double(let number):
      // Beyond Int's range (or INF, NAN) PHP refuses the float outright.
      guard number.isFinite, number >= -9.223_372_036_854_775_808e18, number < 9.223_372_036_854_775_808e18
      else {
        throw typeError(position, parameter, "int")
      }
      return Int(number)
    default: throw typeError(position, parameter, "int")
    }
  }

  /// A `float` parameter: numbers, bools, null (0) and numeric strings.
  func phpFloat(_ position: Int, _ parameter: String) throws(ShellError) -> Double {
    switch value(position) {
    case .null: return 0
    case .bool(let flag): return flag ? 1 : 0
    case .int(let number): return Double(number)
    case .double(let number): return number
    case .bytes(let bytes):
      let numeric = NumericString(bytes)
      guard numeric.form == .numeric else { throw typeError(position, parameter, "float") }
      return numeric.double
    default: throw typeError(position, parameter, "float")
    }
  }

  /// A `string` parameter: scalars convert as echo prints them; arrays and sockets are refused.
  func phpString(_ position: Int, _ parameter: String) throws(ShellError) -> [UInt8] {
    switch value(position) {
    case .bytes(let bytes): return bytes
    case .null, .bool, .int, .double: return value(position).phpString
    default: throw typeError(position, parameter, "string")
    }
  }

  /// A `bool` parameter: PHP's truthiness of any scalar.
  func phpBool(_ position: Int, _ parameter: String) throws(ShellError) -> Bool {
    switch value(position) {
    case .array, .handle, .iovec: throw typeError(position, parameter, "bool")
    case let other: return other.isTruthy
    }
  }

  /// A refusal in PHP's words for a ValueError: `Argument #3 ($offset) must be contained in …`.
  func valueError(_ position: Int, _ parameter: String, _ problem: String) -> ShellError {
    ShellError("\(typedName): Argument #\(position + 1) ($\(parameter)) \(problem)")
  }

  /// A result that grew past the longest string a script may build.
  func tooLong() -> ShellError {
    ShellError("\(typedName): the result would exceed \(Value.maximumStringLength) bytes")
  }
}
