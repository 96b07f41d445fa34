import Glibc

/// PHP 8's sprintf, printf and number_format, byte for byte: PHP's own quirks included (`%e`
/// writes `1.5e+3` with an unpadded exponent, `%.2x` prints nothing, `%5c` ignores its width),
/// since a learner compares the output with what `php` prints.
public enum FormattedPrint {
  /// The widest field and the longest precision sockshell takes. PHP accepts up to INT_MAX and
  /// then tries to allocate it; nothing a socket program prints needs more than this.
  public static let maximumField = 4096
  /// PHP truncates a float's precision to this, with a notice.
  static let maximumFloatPrecision = 53

  /// A formatted string, and the notices PHP would have printed beside it.
  public struct Output {
    public var bytes: [UInt8] = []
    public var notices: [String] = []
  }

  /// `sprintf(format, arguments…)` for the function `name` (named in errors, as PHP names it).
  public static func format(_ format: [UInt8], _ arguments: [Value], name: String) throws(ShellError)
    -> Output
  {
    var parser = SpecParser(format: format, arguments: arguments, name: name)
    return try parser.run()
  }

  /// PHP 8.2's number_format: NUMBER rounded as PHP's round() rounds it, written with `decimals`
  /// places (0 for a negative count), SEPARATOR between groups of three digits; INF and NAN come
  /// out as PHP's own printf writes them, "inf" and "nan" without a sign.
  public static func numberFormat(
    _ number: Double, decimals requested: Int, point: [UInt8], separator: [UInt8], name: String
  ) throws(ShellError) -> [UInt8] {
    let decimals = max(0, requested)
    let rounded = phpRound(number, places: decimals)
    guard rounded.isFinite else { return Array((rounded.isNaN ? "nan" : "inf").utf8) }
    // PHP's own printf stops after 318 decimals and number_format pads the rest with zeros.
    var digits = FloatText.fixed(rounded.magnitude, decimals: min(decimals, 318))
    if decimals > 318 { digits += repeatElement(UInt8(ascii: "0"), count: decimals - 318) }
    let integerCount = decimals > 0 ? digits.count - decimals - 1 : digits.count
    let negative = rounded < 0
    let groups = (integerCount - 1) / 3
    let length =
      (negative ? 1 : 0) + integerCount + groups * separator.count
      + (decimals > 0 ? point.count + decimals : 0)
    // The separators are the user's strings: check before building, not after.
    guard groups == 0 || separator.count <= (Value.maximumStringLength - integerCount) / groups,
      length <= Value.maximumStringLength
    else {
      throw ShellError("\(name): the result would exceed \(Value.maximumStringLength) bytes")
    }
    var out: [UInt8] = []
    out.reserveCapacity(length)
    if negative { out.append(UInt8(ascii: "-")) }
    for index in 0..<integerCount {
      if index > 0 && (integerCount - index) % 3 == 0 { out += separator }
      out.append(digits[index])
    }
    if decimals > 0 {
      out += point
      out += digits[(integerCount + 1)...]
    }
    return out
  }

  /// PHP 8.2's `_php_math_round` in PHP_ROUND_HALF_UP mode, with its pre-rounding: the value is
  /// first rounded to the 15 significant digits a double holds for sure, so 1.005 rounds to
  /// 1.01 as a person expects, though the double is a little below 1.005.
  static func phpRound(_ value: Double, places: Int) -> Double {
    guard value.isFinite, value != 0 else { return value }
    func halfUp(_ number: Double) -> Double {
      number >= 0 ? (number + 0.5).rounded(.down) : (number - 0.5).rounded(.up)
    }
    func power(_ exponent: Int) -> Double { pow10(exponent) }
    let precisionPlaces = 14 - Int(log10(value.magnitude).rounded(.down))
    let scale = power(abs(places))
    var scaled: Double
    if precisionPlaces > places && precisionPlaces - 15 < places {
      let preScale = power(abs(precisionPlaces))
      scaled = precisionPlaces >= 0 ? value * preScale : value / preScale
      scaled = halfUp(scaled)
      // Back from 15 digits to the places asked for (fewer than precisionPlaces).
      scaled = scaled / power(abs(places - precisionPlaces))
    } else {
      scaled = places >= 0 ? value * scale : value / scale
      // Beyond what a double holds, rounding changes nothing.
      if scaled.magnitude >= 1e15 { return value }
    }
    scaled = halfUp(scaled)
    if abs(places) < 23 {
      return places > 0 ? scaled / scale : scaled * scale
    }
    // PHP goes through text here, "%15fe%d", since 1e23 and beyond are not exact. Pre-rounding a
    // tiny number by 10^309 or more overflows to INF, whose text ("inf") PHP's strtod reads as 0.
    guard scaled.isFinite else { return 0 }
    let text =
      (scaled < 0 ? "-" : "")
      + String(decoding: FloatText.fixed(scaled.magnitude, decimals: 6), as: UTF8.self)
      + "e" + String(-places)
    guard let back = Double(text), back.isFinite else { return value }
    return back
  }

  /// 10 to an integer power, exact up to 1e22 as PHP's table is; pow beyond.
  private static func pow10(_ exponent: Int) -> Double {
    if exponent >= 0 && exponent <= 22 {
      var result = 1.0
      for _ in 0..<exponent { result *= 10 }
      return result
    }
    return Glibc.pow(10.0, Double(exponent))
  }

  /// One conversion's settings.
  fileprivate struct Spec {
    var leftAligned = false
    var padding = UInt8(ascii: " ")
    var alwaysSign = false
    var width = 0
    var precision = 0
    /// A precision was written (`%.2f`); `%.f` alone leaves the default.
    var precisionGiven = false
  }

  private struct SpecParser {
    let format: [UInt8]
    let arguments: [Value]
    let name: String
    var index = 0
    var nextArgument = 0
    var result = Output()
    /// PHP reports missing arguments once the whole format is read: the highest one wanted.
    var highestMissing = -1

    init(format: [UInt8], arguments: [Value], name: String) {
      self.format = format
      self.arguments = arguments
      self.name = name
    }

    /// The byte at `index`, or 0 past the end, as C sees the string's terminator.
    private func peek(_ offset: Int = 0) -> UInt8 {
      index + offset < format.count ? format[index + offset] : 0
    }

    private func error(_ message: String) -> ShellError { ShellError("\(name): \(message)") }

    mutating func run() throws(ShellError) -> Output {
      while index < format.count {
        guard let percent = format[index...].firstIndex(of: UInt8(ascii: "%")) else {
          try append(format[index...])
          break
        }
        try append(format[index..<percent])
        index = percent + 1
        if peek() == UInt8(ascii: "%") {
          try append([UInt8(ascii: "%")])
          index += 1
          continue
        }
        try conversion()
      }
      if highestMissing >= 0 {
        // PHP counts the format among the arguments.
        throw error("\(highestMissing + 2) arguments are required, \(arguments.count + 1) given")
      }
      return result
    }

    /// `%1$'*-+10.3f`: argument number, flags, width, precision, an ignored `l`, the conversion.
    private mutating func conversion() throws(ShellError) {
      var spec = Spec()
      var argument: Int?
      if !isLetter(peek()) {
        argument = try argumentNumber()
        flags: while true {
          switch peek() {
          case UInt8(ascii: " "), UInt8(ascii: "0"): spec.padding = peek()
          case UInt8(ascii: "-"): spec.leftAligned = true
          case UInt8(ascii: "+"): spec.alwaysSign = true
          case UInt8(ascii: "'"):
            guard format.count - index > 1 else { throw error("Missing padding character") }
            index += 1
            spec.padding = peek()
          default: break flags
          }
          index += 1
        }
        if peek() == UInt8(ascii: "*") {
          index += 1
          guard let width = try starArgument(what: "Width") else { return }
          guard width >= 0 && width <= Int(Int32.max) else {
            throw error("Width must be greater than zero and less than \(Int32.max)")
          }
          spec.width = try bounded(width, "width")
        } else if isDigit(peek()) {
          let width = number()
          guard width >= 0 else { throw error("Width must be greater than zero and less than \(Int32.max)") }
          spec.width = try bounded(width, "width")
        }
        if peek() == UInt8(ascii: ".") {
          index += 1
          if peek() == UInt8(ascii: "*") {
            index += 1
            guard let precision = try starArgument(what: "Precision") else { return }
            guard precision >= -1 && precision <= Int(Int32.max) else {
              throw error("Precision must be between -1 and \(Int32.max)")
            }
            spec.precision = try bounded(precision, "precision")
            spec.precisionGiven = true
          } else if isDigit(peek()) {
            let precision = number()
            guard precision >= 0 else {
              throw error("Precision must be greater than zero and less than \(Int32.max)")
            }
            spec.precision = try bounded(precision, "precision")
            spec.precisionGiven = true
          }
        }
      }
      if peek() == UInt8(ascii: "l") { index += 1 }
      let position = argument ?? takeNext()
      guard position < arguments.count else {
        // The conversion character is left where it is, as PHP leaves it: the error comes at the end.
        highestMissing = max(highestMissing, position)
        return
      }
      let conversion = peek()
      let isGeneral = "gGhH".utf8.contains(conversion)
      if spec.precisionGiven && spec.precision == -1 && !isGeneral {
        throw error("Precision -1 is only supported for %g, %G, %h and %H")
      }
      let value = arguments[position]
      switch conversion {
      case UInt8(ascii: "s"):
        if case .array = value { result.notices.append("warning: \(name)(): Array to string conversion") }
        var plain = spec
        plain.alwaysSign = false
        try field(value.phpString, plain, negative: false, truncate: spec.precisionGiven)
      case UInt8(ascii: "d"):
        let number = value.phpInt
        var digits = Array(String(number.magnitude).utf8)
        if number < 0 {
          digits.insert(UInt8(ascii: "-"), at: 0)
        } else if spec.alwaysSign {
          digits.insert(UInt8(ascii: "+"), at: 0)
        }
        try field(digits, integerSpec(spec), negative: number < 0)
      case UInt8(ascii: "u"):
        var unsigned = integerSpec(spec)
        unsigned.alwaysSign = false
        try field(Array(String(UInt(bitPattern: value.phpInt)).utf8), unsigned, negative: false)
      case UInt8(ascii: "x"), UInt8(ascii: "X"), UInt8(ascii: "o"), UInt8(ascii: "b"):
        let radix = conversion == UInt8(ascii: "o") ? 8 : conversion == UInt8(ascii: "b") ? 2 : 16
        let digits = String(
          UInt(bitPattern: value.phpInt), radix: radix, uppercase: conversion == UInt8(ascii: "X"))
        var plain = spec
        plain.alwaysSign = false
        // PHP gives these no precision but still truncates to it: `%.2x` prints nothing.
        try field(Array(digits.utf8), plain, negative: false, truncate: spec.precisionGiven, limit: 0)
      case UInt8(ascii: "c"):
        try append([UInt8(truncatingIfNeeded: value.phpInt)])
      case UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "f"), UInt8(ascii: "F"):
        try floating(value.phpDouble, spec, conversion: conversion)
      case UInt8(ascii: "g"), UInt8(ascii: "G"), UInt8(ascii: "h"), UInt8(ascii: "H"):
        try floating(value.phpDouble, spec, conversion: conversion)
      case UInt8(ascii: "%"):
        try append([UInt8(ascii: "%")])
      case 0 where index >= format.count:
        throw error("Missing format specifier at end of string")
      default:
        throw error("Unknown format specifier \"\(String(decoding: [conversion], as: UTF8.self))\"")
      }
      index += 1
    }

    /// PHP never pads an integer with zeros on the right: `%-05d` pads with spaces.
    private func integerSpec(_ spec: Spec) -> Spec {
      var adjusted = spec
      if spec.leftAligned && spec.padding == UInt8(ascii: "0") { adjusted.padding = UInt8(ascii: " ") }
      return adjusted
    }

    private mutating func floating(_ number: Double, _ spec: Spec, conversion: UInt8) throws(ShellError) {
      var precision = spec.precisionGiven ? spec.precision : 6
      if precision > FormattedPrint.maximumFloatPrecision {
        result.notices.append(
          "notice: \(name)(): Requested precision of \(precision) digits was truncated to PHP maximum of "
            + "\(FormattedPrint.maximumFloatPrecision) digits")
        precision = FormattedPrint.maximumFloatPrecision
      }
      if number.isNaN || number.isInfinite {
        // PHP writes these with a width of 3 whatever was asked, and zero padding puts the sign
        // over the first letter: `%010f` of -INF is "-NF".
        var fixed = spec
        fixed.width = 3
        try field(Array((number.isNaN ? "NaN" : "INF").utf8), fixed, negative: number < 0)
        return
      }
      var text: [UInt8]
      var negative: Bool
      switch conversion {
      case UInt8(ascii: "f"), UInt8(ascii: "F"):
        // -0.0 prints without its sign here, as PHP's conversion tests `num < 0`.
        negative = number < 0
        text = FloatText.fixed(number.magnitude, decimals: precision)
      case UInt8(ascii: "e"), UInt8(ascii: "E"):
        negative = number < 0
        let (digits, power) = FloatText.scientific(number.magnitude, decimals: precision)
        text = [digits[0]]
        if precision > 0 {
          text.append(UInt8(ascii: "."))
          text += digits[1...]
        }
        text.append(conversion)
        text.append(power < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        text += Array(String(power.magnitude).utf8)
      default:
        let exponent = conversion == UInt8(ascii: "G") || conversion == UInt8(ascii: "H") ? 69 : 101
        text = FloatText.general(
          number, precision: precision == -1 ? nil : max(precision, 1), exponent: UInt8(exponent))
        negative = text.first == UInt8(ascii: "-")
        if negative {
          text.removeFirst()
        }
      }
      if negative {
        text.insert(UInt8(ascii: "-"), at: 0)
      } else if spec.alwaysSign {
        text.insert(UInt8(ascii: "+"), at: 0)
      }
      try field(text, spec, negative: negative)
    }

    /// PHP's `php_sprintf_appendstring`: cut to the precision when `truncate`, padded to the
    /// width; with zero padding on the right, a sign goes before the zeros.
    private mutating func field(
      _ text: [UInt8], _ spec: Spec, negative: Bool, truncate: Bool = false, limit: Int? = nil
    ) throws(ShellError) {
      let shown = truncate ? min(limit ?? spec.precision, text.count) : text.count
      let padding = max(0, spec.width - shown)
      var body = text[..<shown]
      if !spec.leftAligned {
        if (negative || spec.alwaysSign) && spec.padding == UInt8(ascii: "0") && !body.isEmpty {
          // The sign goes before the zeros: PHP writes it, then skips the text's first byte.
          try append([negative ? UInt8(ascii: "-") : UInt8(ascii: "+")])
          body = body.dropFirst()
        }
        try append([UInt8](repeating: spec.padding, count: padding))
      }
      try append(body)
      if spec.leftAligned { try append([UInt8](repeating: spec.padding, count: padding)) }
    }

    private mutating func append(_ bytes: some Collection<UInt8>) throws(ShellError) {
      guard bytes.count <= Value.maximumStringLength - result.bytes.count else {
        throw error("the result would exceed \(Value.maximumStringLength) bytes")
      }
      result.bytes += bytes
    }

    private func bounded(_ number: Int, _ what: String) throws(ShellError) -> Int {
      guard number <= FormattedPrint.maximumField else {
        throw error("a \(what) of \(number) is more than sockshell allows (\(FormattedPrint.maximumField))")
      }
      return number
    }

    private mutating func takeNext() -> Int {
      defer { nextArgument += 1 }
      return nextArgument
    }

    /// `2$` after the `%` or a `*`: a 0-based argument number, or nil when none is written.
    private mutating func argumentNumber() throws(ShellError) -> Int? {
      var end = index
      while isDigit(end < format.count ? format[end] : 0) { end += 1 }
      guard end < format.count, format[end] == UInt8(ascii: "$") else { return nil }
      let number = number()
      guard number > 0 else {
        throw error("Argument number specifier must be greater than zero and less than \(Int32.max)")
      }
      index += 1
      return number - 1
    }

    /// A width or precision given as an argument (`%*d`, `%.*f`, `%*2$d`); nil when the
    /// argument is missing, which PHP reports at the end.
    private mutating func starArgument(what: String) throws(ShellError) -> Int? {
      let position = try argumentNumber() ?? takeNext()
      guard position < arguments.count else {
        highestMissing = max(highestMissing, position)
        return nil
      }
      guard case .int(let number) = arguments[position] else { throw error("\(what) must be an integer") }
      return number
    }

    /// Decimal digits at `index`, as PHP's `php_sprintf_getnumber` reads them: -1 when the number
    /// reaches INT_MAX.
    private mutating func number() -> Int {
      var value = 0
      while isDigit(peek()) {
        value = min(value * 10 + Int(peek() - 48), Int(Int32.max))
        index += 1
      }
      return value >= Int(Int32.max) ? -1 : value
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    private func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 97 && (c | 0x20) <= 122 }
  }
}
