import Glibc

/// The decimal digits of a finite double and where its point goes: 0.0001 is digits "1" with
/// `point` -3, 1e25 is "1" with 26, as David Gay's dtoa hands them to PHP.
struct DecimalDigits: Equatable {
  /// ASCII digits without leading or trailing zeros; "0" for zero.
  var digits: [UInt8]
  /// The value is 0.DIGITS × 10^point.
  var point: Int
  var negative: Bool
}

/// PHP 8's ways of writing a float. Two settings decide most of them: `precision` (14
/// significant digits) for echo, string conversion and print_r, and `serialize_precision` -1
/// (the shortest digits that read back as the same double) for var_dump, var_export and
/// json_encode: `echo 0.1 + 0.2` prints 0.3 where var_dump shows 0.30000000000000004.
public enum FloatText {
  /// PHP's default `precision` ini setting.
  public static let echoPrecision = 14

  /// What echo and string conversion print: `0.3`, `1.0E+25`, `-0`, `INF`, `NAN`.
  public static func echo(_ number: Double) -> [UInt8] {
    general(number, precision: echoPrecision, exponent: UInt8(ascii: "E"))
  }

  /// What var_dump shows inside `float(…)`: the shortest round-trip digits, `1.0E+25`.
  public static func repr(_ number: Double) -> [UInt8] {
    general(number, precision: nil, exponent: UInt8(ascii: "E"))
  }

  /// What var_export writes: as var_dump, and `.0` after a whole number so it reads back as a float.
  public static func export(_ number: Double) -> [UInt8] {
    var text = repr(number)
    if number.isFinite, !text.contains(where: { $0 == 46 || $0 == 69 || $0 == 101 }) { text += [46, 48] }
    return text
  }

  /// PHP's `php_gcvt`: `precision` significant digits (nil: the shortest that read back, with
  /// 17 as the threshold for exponent form), plain notation unless the exponent is below -4 or
  /// beyond the precision, then `1.5E+25`: at least one decimal, the exponent unpadded.
  static func general(_ number: Double, precision: Int?, exponent: UInt8) -> [UInt8] {
    if number.isNaN { return Array("NAN".utf8) }
    if number.isInfinite { return Array((number < 0 ? "-INF" : "INF").utf8) }
    let decimal = precision.map { significantDigits(number, $0) } ?? shortestDigits(number)
    let limit = precision ?? 17
    var out: [UInt8] = []
    out.reserveCapacity(decimal.digits.count + 8)
    if decimal.negative { out.append(UInt8(ascii: "-")) }
    let digits = decimal.digits
    let point = decimal.point
    if point < 0 ? point < -3 : point > limit {
      out.append(digits[0])
      out.append(UInt8(ascii: "."))
      if digits.count == 1 { out.append(UInt8(ascii: "0")) } else { out += digits[1...] }
      out.append(exponent)
      let power = point - 1
      out.append(power < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
      out += Array(String(power.magnitude).utf8)
    } else if point <= 0 {
      out += [UInt8(ascii: "0"), UInt8(ascii: ".")]
      out += [UInt8](repeating: UInt8(ascii: "0"), count: -point)
      out += digits
    } else {
      for index in 0..<point { out.append(index < digits.count ? digits[index] : UInt8(ascii: "0")) }
      if digits.count > point {
        out.append(UInt8(ascii: "."))
        out += digits[point...]
      }
    }
    return out
  }

  /// The shortest digits that read back as the same double (dtoa's mode 0). Swift's own
  /// description finds them; this reads its digits and exponent back out.
  static func shortestDigits(_ number: Double) -> DecimalDigits {
    let text = Array(number.magnitude.description.utf8)
    var digits: [UInt8] = []
    var point = 0
    var sawPoint = false
    var index = 0
    while index < text.count, text[index] != UInt8(ascii: "e") {
      let c = text[index]
      if c == UInt8(ascii: ".") {
        sawPoint = true
      } else {
        digits.append(c)
        if !sawPoint { point += 1 }
      }
      index += 1
    }
    if index < text.count, let power = Int(String(decoding: text[(index + 1)...], as: UTF8.self)) {
      point += power
    }
    return normalized(digits, point: point, negative: number.sign == .minus)
  }

  /// `count` significant digits, correctly rounded (dtoa's mode 2): glibc's `%.*e` gives the
  /// same digits, exactly rounded from the binary value.
  static func significantDigits(_ number: Double, _ count: Int) -> DecimalDigits {
    let (mantissa, power) = scientific(number.magnitude, decimals: max(count, 1) - 1)
    return normalized(mantissa, point: power + 1, negative: number.sign == .minus)
  }

  /// Leading zeros moved into the point, trailing zeros dropped, zero as "0" at point 1.
  private static func normalized(_ digits: [UInt8], point: Int, negative: Bool) -> DecimalDigits {
    guard let first = digits.firstIndex(where: { $0 != UInt8(ascii: "0") }),
      let last = digits.lastIndex(where: { $0 != UInt8(ascii: "0") })
    else {
      return DecimalDigits(digits: [UInt8(ascii: "0")], point: 1, negative: negative)
    }
    return DecimalDigits(digits: Array(digits[first...last]), point: point - first, negative: negative)
  }

  /// A finite, non-negative number as `%.Nf` writes it: every digit exact, as PHP's own
  /// conversion gives them. Callers bound `decimals`.
  static func fixed(_ magnitude: Double, decimals: Int) -> [UInt8] {
    formatted(magnitude, conversion: "f", decimals: decimals)
  }

  /// A finite, non-negative number as `%.Ne` writes it, split into its digits (one before the
  /// point, `decimals` after, without the point) and its power of ten.
  static func scientific(_ magnitude: Double, decimals: Int) -> (digits: [UInt8], power: Int) {
    let text = formatted(magnitude, conversion: "e", decimals: decimals)
    guard let e = text.firstIndex(of: UInt8(ascii: "e")) else { return (text, 0) }
    let digits = text[..<e].filter { $0 != UInt8(ascii: ".") }
    let power = Int(String(decoding: text[(e + 1)...], as: UTF8.self)) ?? 0
    return (digits, power)
  }

  /// glibc's conversion of one double; `decimals` is bounded by every caller (at most a few
  /// thousand), so the buffer is too.
  private static func formatted(_ number: Double, conversion: String, decimals: Int) -> [UInt8] {
    let format = "%." + String(decimals) + conversion
    var capacity = decimals + 330
    while true {
      var buffer = [CChar](repeating: 0, count: capacity)
      let written = withVaList([number]) { arguments in
        buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, capacity, format, arguments) }
      }
      guard written >= 0 else { return [] }
      if Int(written) < capacity {
        return buffer[..<Int(written)].map { UInt8(bitPattern: $0) }
      }
      capacity = Int(written) + 1
    }
  }
}
