import Glibc

/// The scanner's literals: words (and the numbers they turn out to be, in every form PHP writes
/// them) and quoted strings with their escapes. The token loop is in Lexer.swift.
extension Scanner {
  /// A bare word, which may turn out to be a number. Joiners belong to the word only when more
  /// of the word follows, so `$a.$b` and `strrev($x)."\n"` still see `.` as concatenation.
  mutating func word(from start: Int) throws(SyntaxError) -> RawToken {
    if phpOnly {
      // PHP's names and numbers: `3des` is a number then a name, as PHP reads it.
      if Lexer.isDigit(line[start]) { return try number(from: start) }
      index = start + 1
      while let c = peek(), Lexer.isWordChar(c) { index += 1 }
      return token(.word, from: start)
    }
    if Lexer.isDigit(line[start]) {
      let number = try number(from: start)
      // `127.0.0.1`, `10.0.0.0/8`, `3des`: a number that runs on into a word is a word.
      let continues: Bool
      if let c = peek() {
        continues =
          Lexer.isWordChar(c)
          || ((c == UInt8(ascii: ".") || c == UInt8(ascii: ":") || c == UInt8(ascii: "/"))
            && peek(1).map(Lexer.isWordChar) == true)
      } else {
        continues = false
      }
      guard continues else { return number }
      index = start
    }
    index += 1
    while let c = peek() {
      if Lexer.isWordChar(c) {
        index += 1
      } else if Lexer.isJoiner(c), let after = peek(1),
        Lexer.isWordChar(after) || (Lexer.isJoiner(after) && after != UInt8(ascii: "."))
          || (c != UInt8(ascii: ".") && after == UInt8(ascii: "."))
      {
        index += 1
      } else if c == UInt8(ascii: ":") || c == UInt8(ascii: "/") {
        // A trailing `::` or `/` ends an IPv6 prefix or a folder name.
        index += 1
      } else {
        break
      }
    }
    return token(.word, from: start)
  }

  /// A PHP number literal at `start`: `5353`, `0x1F`, `0o17`, `017`, `0b101`, `1_000`, `1.5`,
  /// `1e3`, `.5`. An integer too large for 64 bits is a float, as PHP makes it.
  mutating func number(from start: Int) throws(SyntaxError) -> RawToken {
    index = start
    var result = token(.int, from: start)
    if line[start] == UInt8(ascii: "0"), let letter = peek(1).map({ $0 | 0x20 }),
      letter == UInt8(ascii: "x") || letter == UInt8(ascii: "b") || letter == UInt8(ascii: "o"),
      let first = peek(2), Lexer.hexValue(first) != nil
    {
      let radix = letter == UInt8(ascii: "x") ? 16 : letter == UInt8(ascii: "b") ? 2 : 8
      index += 2
      if let value = digits(radix: radix) { result.number = value } else {
        result.tag = .double
        result.double = radixDouble(from: start + 2, radix: radix)
      }
      result.end = index
      return result
    }
    let integerStart = index
    let integer = digits(radix: 10)
    var isFloat = false
    if peek() == UInt8(ascii: "."), index == integerStart || peek(1).map(Lexer.isDigit) == true
      || !(peek(1).map(Lexer.isWordChar) ?? false) && peek(1) != UInt8(ascii: ".")
    {
      isFloat = true
      index += 1
      _ = digits(radix: 10)
    }
    if let e = peek(), e | 0x20 == UInt8(ascii: "e") {
      var at = index + 1
      if at < line.count, line[at] == UInt8(ascii: "+") || line[at] == UInt8(ascii: "-") { at += 1 }
      if at < line.count, Lexer.isDigit(line[at]) {
        isFloat = true
        index = at
        _ = digits(radix: 10)
      }
    }
    result.end = index
    if !isFloat, let integer {
      // PHP reads a leading 0 as octal: 017 is 15.
      if line[start] == UInt8(ascii: "0"), index - start > 1 {
        index = start + 1
        guard let octal = digits(radix: 8), index == result.end else {
          throw SyntaxError("invalid octal number (digits 0-7 after a leading 0)", column: start + 1)
        }
        result.number = octal
        return result
      }
      result.number = integer
      return result
    }
    result.tag = .double
    result.double = Double(digitText(from: start)) ?? .infinity
    return result
  }

  /// Digits of a radix with `_` between them, from `index`; nil when the value needs more than 63
  /// bits (the digits are consumed all the same).
  mutating func digits(radix: Int) -> Int? {
    var value = 0
    var overflow = false
    while let c = peek() {
      let digit: Int
      if c == UInt8(ascii: "_"), index > 0, let after = peek(1), let d = Lexer.hexValue(after), d < radix,
        Lexer.hexValue(line[index - 1]).map({ $0 < radix }) == true
      {
        index += 1
        continue
      }
      guard let d = Lexer.hexValue(c), d < radix else { break }
      digit = d
      let product = value.multipliedReportingOverflow(by: radix)
      let sum = product.partialValue.addingReportingOverflow(digit)
      overflow = overflow || product.overflow || sum.overflow
      value = sum.partialValue
      index += 1
    }
    return overflow ? nil : value
  }

  /// The literal's text from `start` to `index`, without underscores, for Double's parser.
  func digitText(from start: Int) -> String {
    String(decoding: line[start..<index].filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
  }

  func radixDouble(from start: Int, radix: Int) -> Double {
    var value = 0.0
    for c in line[start..<index] {
      if let d = Lexer.hexValue(c) { value = value * Double(radix) + Double(d) }
    }
    return value
  }

  /// Decodes a double-quoted string into `out`. A string that interpolates (`$name`, `${name}`
  /// or `{$…}` outside an escape) is kept raw instead, its token's `number` set to 1: the parser
  /// splits it into parts (Interpolation.swift). A string without them stays a plain literal, so
  /// the per-line path pays only a byte comparison for the feature.
  mutating func scanDoubleQuoted(column: Int, into out: inout [UInt8]) throws(SyntaxError) -> Bool {
    let from = out.count
    let rawStart = index + 1
    var interpolates = false
    index += 1
    while let c = peek() {
      index += 1
      if c == UInt8(ascii: "\"") {
        if interpolates {
          out.removeSubrange(from...)
          out.append(contentsOf: line[rawStart..<(index - 1)])
        }
        return interpolates
      }
      if c == UInt8(ascii: "$"), let n = peek(), Lexer.isLetter(n) || n == UInt8(ascii: "{") {
        interpolates = true
      } else if c == UInt8(ascii: "{"), peek() == UInt8(ascii: "$") {
        interpolates = true
      }
      guard c == 92, peek() != nil else {
        out.append(c)
        continue
      }
      try Lexer.decodeEscape(line, at: &index, into: &out)
    }
    throw SyntaxError("unterminated string (a \" is missing)", column: column, unfinished: true)
  }

  mutating func scanSingleQuoted(column: Int, into out: inout [UInt8]) throws(SyntaxError) {
    index += 1
    while let c = peek() {
      index += 1
      if c == UInt8(ascii: "'") { return }
      if c == 92, let e = peek(), e == UInt8(ascii: "'") || e == 92 {
        index += 1
        out.append(e)
      } else {
        out.append(c)
      }
    }
    throw SyntaxError("unterminated string (a ' is missing)", column: column, unfinished: true)
  }
}

extension Lexer {
  /// One escape of a double-quoted string, `index` at the byte after the backslash: PHP's
  /// `\n \r \t \v \e \f \\ \$ \" \xNN \NNN \u{…}`; an unknown escape stays as written. In a
  /// heredoc `\"` is not an escape: a `"` needs none there.
  static func decodeEscape(
    _ line: UnsafeBufferPointer<UInt8>, at index: inout Int, into out: inout [UInt8], inHeredoc: Bool = false
  ) throws(SyntaxError) {
    guard index < line.count else {
      out.append(92)
      return
    }
    let e = line[index]
    index += 1
    switch e {
    case UInt8(ascii: "n"): out.append(10)
    case UInt8(ascii: "r"): out.append(13)
    case UInt8(ascii: "t"): out.append(9)
    case UInt8(ascii: "v"): out.append(11)
    case UInt8(ascii: "f"): out.append(12)
    case UInt8(ascii: "e"): out.append(27)
    case 92, UInt8(ascii: "$"): out.append(e)
    case UInt8(ascii: "\"") where !inHeredoc: out.append(e)
    case UInt8(ascii: "x"):
      var value = 0
      var digits = 0
      while digits < 2, index < line.count, let nibble = Lexer.hexValue(line[index]) {
        value = value * 16 + nibble
        digits += 1
        index += 1
      }
      // PHP keeps "\x" without a hex digit as written.
      if digits == 0 {
        out.append(92)
        out.append(e)
      } else {
        out.append(UInt8(value))
      }
    case UInt8(ascii: "u") where index < line.count && line[index] == UInt8(ascii: "{"):
      // "\u{1F600}": a code point, written out in UTF-8. PHP refuses a malformed one.
      let escapeColumn = index - 1
      var at = index + 1
      var value = 0
      var digits = 0
      while at < line.count, let nibble = Lexer.hexValue(line[at]) {
        if value <= 0x10FFFF { value = value * 16 + nibble }
        digits += 1
        at += 1
      }
      guard digits > 0, at < line.count, line[at] == UInt8(ascii: "}") else {
        throw SyntaxError("invalid UTF-8 codepoint escape sequence (\\u{ needs hex digits and })", column: escapeColumn)
      }
      guard value <= 0x10FFFF else {
        throw SyntaxError("invalid UTF-8 codepoint escape sequence: codepoint too large", column: escapeColumn)
      }
      index = at + 1
      // PHP encodes any value, surrogates included, as its UTF-8 shape.
      if value < 0x80 {
        out.append(UInt8(value))
      } else if value < 0x800 {
        out.append(UInt8(0xC0 | value >> 6))
        out.append(UInt8(0x80 | value & 0x3F))
      } else if value < 0x10000 {
        out.append(UInt8(0xE0 | value >> 12))
        out.append(UInt8(0x80 | value >> 6 & 0x3F))
        out.append(UInt8(0x80 | value & 0x3F))
      } else {
        out.append(UInt8(0xF0 | value >> 18))
        out.append(UInt8(0x80 | value >> 12 & 0x3F))
        out.append(UInt8(0x80 | value >> 6 & 0x3F))
        out.append(UInt8(0x80 | value & 0x3F))
      }
    case 48...55:
      // Octal, one to three digits, as PHP reads "\0" and "\101"; "\400" wraps as in PHP.
      var value = Int(e - 48)
      var digits = 1
      while digits < 3, index < line.count, (48...55).contains(line[index]) {
        value = value * 8 + Int(line[index] - 48)
        digits += 1
        index += 1
      }
      out.append(UInt8(value & 0xff))
    default:
      // PHP keeps an unknown escape as written.
      out.append(92)
      out.append(e)
    }
  }
}
