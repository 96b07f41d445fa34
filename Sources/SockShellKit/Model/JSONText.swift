/// PHP 8's json_encode, flags and failures included: `/` is escaped as `\/` and non-ASCII text
/// as `\u00e9` unless told otherwise, INF and invalid UTF-8 make the whole call false.
enum JSONText {
  /// The `JSON_*` flags json_encode reads, with PHP's values.
  struct Options: OptionSet {
    let rawValue: Int
    static let hexTag = Options(rawValue: 1)
    static let hexAmp = Options(rawValue: 2)
    static let hexApos = Options(rawValue: 4)
    static let hexQuot = Options(rawValue: 8)
    static let forceObject = Options(rawValue: 16)
    static let numericCheck = Options(rawValue: 32)
    static let unescapedSlashes = Options(rawValue: 64)
    static let prettyPrint = Options(rawValue: 128)
    static let unescapedUnicode = Options(rawValue: 256)
    static let partialOutputOnError = Options(rawValue: 512)
    static let preserveZeroFraction = Options(rawValue: 1024)
    static let unescapedLineTerminators = Options(rawValue: 2048)
    static let invalidUTF8Ignore = Options(rawValue: 1_048_576)
    static let invalidUTF8Substitute = Options(rawValue: 2_097_152)
    static let throwOnError = Options(rawValue: 4_194_304)
  }

  /// The constants a line may name, for the constant table.
  static let constants: [(name: String, value: Int)] = [
    ("JSON_HEX_TAG", 1), ("JSON_HEX_AMP", 2), ("JSON_HEX_APOS", 4), ("JSON_HEX_QUOT", 8),
    ("JSON_FORCE_OBJECT", 16), ("JSON_NUMERIC_CHECK", 32), ("JSON_UNESCAPED_SLASHES", 64),
    ("JSON_PRETTY_PRINT", 128), ("JSON_UNESCAPED_UNICODE", 256), ("JSON_PARTIAL_OUTPUT_ON_ERROR", 512),
    ("JSON_PRESERVE_ZERO_FRACTION", 1024), ("JSON_UNESCAPED_LINE_TERMINATORS", 2048),
    ("JSON_INVALID_UTF8_IGNORE", 1_048_576), ("JSON_INVALID_UTF8_SUBSTITUTE", 2_097_152),
    ("JSON_THROW_ON_ERROR", 4_194_304),
  ]

  /// Why an encoding failed, with PHP's `json_last_error_msg()` text.
  enum Failure: Equatable {
    case depth, utf8, infOrNaN

    var message: String {
      switch self {
      case .depth: "Maximum stack depth exceeded"
      case .utf8: "Malformed UTF-8 characters, possibly incorrectly encoded"
      case .infOrNaN: "Inf and NaN cannot be JSON encoded"
      }
    }
  }

  /// The JSON text, or the failure that made PHP return false. With
  /// JSON_PARTIAL_OUTPUT_ON_ERROR the text comes back with the bad parts replaced.
  static func encode(_ value: Value, options: Options, depth: Int) throws(ShellError) -> (
    text: [UInt8]?, failure: Failure?
  ) {
    var encoder = Encoder(options: options, maximumDepth: depth)
    _ = try encoder.encode(value)
    let text = try encoder.out.finish()
    if encoder.failure != nil && !options.contains(.partialOutputOnError) { return (nil, encoder.failure) }
    return (text, encoder.failure)
  }

  private struct Encoder {
    let options: Options
    let maximumDepth: Int
    var depth = 0
    var failure: Failure?
    var out = DumpText(function: "json_encode")

    init(options: Options, maximumDepth: Int) {
      self.options = options
      self.maximumDepth = maximumDepth
    }

    private var partial: Bool { options.contains(.partialOutputOnError) }

    /// False when the encoding failed and, without partial output, must stop.
    mutating func encode(_ value: Value) throws(ShellError) -> Bool {
      switch value {
      case .null: out.append("null")
      case .bool(let flag): out.append(flag ? "true" : "false")
      case .int(let number): out.append(String(number))
      case .double(let number):
        guard number.isFinite else {
          // PHP writes 0 in its place and carries on; the call fails at the end.
          failure = .infOrNaN
          out.append("0")
          return true
        }
        appendDouble(number)
      case .bytes(let bytes): return string(bytes)
      case .handle, .iovec: return try container([], asObject: true)
      case .array(let array):
        return try container(Array(array), asObject: options.contains(.forceObject) || !array.isList)
      }
      return true
    }

    private mutating func appendDouble(_ number: Double) {
      var text = FloatText.general(number, precision: nil, exponent: UInt8(ascii: "e"))
      if options.contains(.preserveZeroFraction), !text.contains(UInt8(ascii: ".")) { text += [46, 48] }
      out.append(text)
    }

    private mutating func newline() {
      guard options.contains(.prettyPrint) else { return }
      out.append(byte: 10)
      out.spaces(depth * 4)
    }

    private mutating func container(_ entries: [(key: ArrayKey, value: Value)], asObject: Bool)
      throws(ShellError)
      -> Bool
    {
      out.append(byte: asObject ? UInt8(ascii: "{") : UInt8(ascii: "["))
      depth += 1
      for (position, entry) in entries.enumerated() {
        if position > 0 { out.append(byte: UInt8(ascii: ",")) }
        newline()
        if asObject {
          switch entry.key {
          case .int(let index): out.append("\"\(index)\"")
          case .string(let name):
            // A key is a string, never turned into a number.
            var key = Encoder(options: options.subtracting(.numericCheck), maximumDepth: maximumDepth)
            if key.string(name) {
              out.append(try key.out.finish())
            } else {
              failure = key.failure
              if !partial { return false }
              out.append("\"\"")
            }
          }
          out.append(byte: UInt8(ascii: ":"))
          if options.contains(.prettyPrint) { out.append(byte: 32) }
        }
        if !(try encode(entry.value)) && !partial { return false }
        try out.checkpoint()
      }
      if depth > maximumDepth {
        failure = .depth
        if !partial { return false }
      }
      depth -= 1
      if !entries.isEmpty { newline() }
      out.append(byte: asObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
      return true
    }

    /// PHP's `php_json_escape_string`.
    mutating func string(_ bytes: [UInt8]) -> Bool {
      if bytes.isEmpty {
        out.append("\"\"")
        return true
      }
      if options.contains(.numericCheck) {
        let numeric = NumericString(bytes)
        if numeric.form == .numeric {
          switch numeric.number {
          case .int(let number):
            out.append(String(number))
            return true
          case .double(let number) where number.isFinite:
            appendDouble(number)
            return true
          default: break
          }
        }
      }
      let hex = Array("0123456789abcdef".utf8)
      var text: [UInt8] = [UInt8(ascii: "\"")]
      text.reserveCapacity(bytes.count + 2)
      func escape(_ unit: Int) {
        text += [92, UInt8(ascii: "u")]
        for shift in [12, 8, 4, 0] { text.append(hex[(unit >> shift) & 15]) }
      }
      var index = 0
      while index < bytes.count {
        let byte = bytes[index]
        if byte >= 0x80 {
          let start = index
          guard let scalar = JSONText.nextScalar(bytes, &index) else {
            if options.contains(.invalidUTF8Ignore) { continue }
            if options.contains(.invalidUTF8Substitute) {
              if options.contains(.unescapedUnicode) { text += [0xEF, 0xBF, 0xBD] } else { escape(0xFFFD) }
              continue
            }
            failure = .utf8
            if partial { out.append("null") }
            return false
          }
          let lineTerminator = scalar == 0x2028 || scalar == 0x2029
          if options.contains(.unescapedUnicode)
            && (options.contains(.unescapedLineTerminators) || !lineTerminator)
          {
            text += bytes[start..<index]
          } else if scalar >= 0x10000 {
            let offset = scalar - 0x10000
            escape(0xD800 | (offset >> 10))
            escape(0xDC00 | (offset & 0x3FF))
          } else {
            escape(scalar)
          }
          continue
        }
        index += 1
        switch byte {
        case UInt8(ascii: "\""):
          if options.contains(.hexQuot) { text += Array(#"\u0022"#.utf8) } else { text += [92, 34] }
        case 92: text += [92, 92]
        case UInt8(ascii: "/"):
          if options.contains(.unescapedSlashes) { text.append(byte) } else { text += [92, byte] }
        case 8: text += [92, UInt8(ascii: "b")]
        case 12: text += [92, UInt8(ascii: "f")]
        case 10: text += [92, UInt8(ascii: "n")]
        case 13: text += [92, UInt8(ascii: "r")]
        case 9: text += [92, UInt8(ascii: "t")]
        case UInt8(ascii: "<") where options.contains(.hexTag): text += Array(#"\u003C"#.utf8)
        case UInt8(ascii: ">") where options.contains(.hexTag): text += Array(#"\u003E"#.utf8)
        case UInt8(ascii: "&") where options.contains(.hexAmp): text += Array(#"\u0026"#.utf8)
        case UInt8(ascii: "'") where options.contains(.hexApos): text += Array(#"\u0027"#.utf8)
        case 0..<0x20: escape(Int(byte))
        default: text.append(byte)
        }
      }
      text.append(UInt8(ascii: "\""))
      out.append(text)
      return true
    }
  }

  /// The scalar UTF-8 encodes at `index`, moving past it; on a malformed sequence nil, having
  /// moved past as many bytes as PHP's `php_next_utf8_char` skips (what JSON_INVALID_UTF8_IGNORE
  /// drops and JSON_INVALID_UTF8_SUBSTITUTE replaces).
  static func nextScalar(_ bytes: [UInt8], _ index: inout Int) -> Int? {
    let lead = bytes[index]
    let available = bytes.count - index
    func trail(_ offset: Int) -> Bool { offset < available && bytes[index + offset] & 0xC0 == 0x80 }
    // A byte that may start a character: what PHP does not swallow after a broken one.
    func leads(_ offset: Int) -> Bool {
      offset >= available || bytes[index + offset] < 0x80 || (0xC2...0xF4).contains(bytes[index + offset])
    }
    func fail(_ skip: Int) -> Int? {
      index += skip
      return nil
    }
    func bits(_ offset: Int) -> Int { Int(bytes[index + offset] & 0x3F) }
    switch lead {
    case 0xC2..<0xE0:
      guard trail(1) else { return fail(leads(1) ? 1 : 2) }
      let scalar = Int(lead & 0x1F) << 6 | bits(1)
      index += 2
      return scalar
    case 0xE0..<0xF0:
      guard trail(1) && trail(2) else {
        if available < 2 || leads(1) { return fail(1) }
        if available < 3 || leads(2) { return fail(2) }
        return fail(3)
      }
      let scalar = Int(lead & 0x0F) << 12 | bits(1) << 6 | bits(2)
      // Overlong forms and UTF-16 surrogates are not characters.
      if scalar < 0x800 || (0xD800...0xDFFF).contains(scalar) { return fail(3) }
      index += 3
      return scalar
    case 0xF0..<0xF5:
      guard trail(1) && trail(2) && trail(3) else {
        if available < 2 || leads(1) { return fail(1) }
        if available < 3 || leads(2) { return fail(2) }
        if available < 4 || leads(3) { return fail(3) }
        return fail(4)
      }
      let scalar = Int(lead & 0x07) << 18 | bits(1) << 12 | bits(2) << 6 | bits(3)
      if scalar < 0x10000 || scalar > 0x10FFFF { return fail(4) }
      index += 4
      return scalar
    default:
      return fail(1)
    }
  }
}
