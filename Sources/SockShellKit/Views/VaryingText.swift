/// What changes between two runs of the same session, found in a recorded transcript and
/// written as `...`, the lesson format's wildcard: ports (the kernel's ephemeral ones, and the
/// lesson's own, which `--set port=N` moves), pointer addresses, and the column padding that
/// follows them in tables and echo annotations. The port in inputs becomes `$port`.
enum VaryingText {
  /// Calls whose loopback address names the port a lesson is about.
  private static let portCalls: Set<String> = [
    "bind", "connect", "sendto", "create_listen",
    "socket_bind", "socket_connect", "socket_sendto", "socket_create_listen",
  ]

  /// The port as typed in a bind, connect, sendto on 127.0.0.1 or ::1, or a create_listen:
  /// `bind $s 127.0.0.1 5353`, `sendto $c "x" 127.0.0.1:5353`, `create_listen 5353`.
  static func loopbackPort(in input: String) -> String? {
    let text = Array(input.utf8)
    let words = Set(identifiers(text))
    guard !words.isDisjoint(with: portCalls) else { return nil }
    var starts: [Int] = []
    for address in ["127.0.0.1", "::1"] {
      let needle = Array(address.utf8)
      var index = 0
      while index + needle.count <= text.count {
        if text[index..<index + needle.count].elementsEqual(needle) { starts.append(index + needle.count) }
        index += 1
      }
    }
    if words.contains("create_listen") || words.contains("socket_create_listen") {
      starts.append(0)
    }
    for start in starts.sorted() {
      var index = start
      // Quotes, a comma, `:` or `]` may stand between the address and its port.
      while index < text.count, [32, 9, 34, 39, 44, 58, 93, 40].contains(text[index]) { index += 1 }
      if start == 0 {
        // create_listen PORT: the first number after the name.
        while index < text.count, !isDigit(text[index]) { index += 1 }
      }
      let digits = text[index...].prefix(while: isDigit)
      let end = index + digits.count
      guard !digits.isEmpty, digits.count <= 5, end == text.count || !isWordByte(text[end]),
        index == 0 || !isWordByte(text[index - 1]) || start == 0,
        let number = Int(String(decoding: digits, as: UTF8.self)), (1...65535).contains(number)
      else { continue }
      return String(number)
    }
    return nil
  }

  /// The input with each number `port` (a whole number, outside quotes) written `$port`.
  static func replacingPort(_ port: String, in input: String) -> String {
    guard !port.isEmpty else { return input }
    let text = Array(input.utf8)
    let needle = Array(port.utf8)
    var result: [UInt8] = []
    var quote: UInt8?
    var index = 0
    while index < text.count {
      let byte = text[index]
      if let open = quote {
        if byte == 92, index + 1 < text.count {
          result += [byte, text[index + 1]]
          index += 2
          continue
        }
        if byte == open { quote = nil }
      } else if byte == 34 || byte == 39 {
        quote = byte
      } else if index + needle.count <= text.count, text[index..<index + needle.count].elementsEqual(needle),
        index == 0 || !(isWordByte(text[index - 1]) || text[index - 1] == 36 || text[index - 1] == 46),
        index + needle.count == text.count
          || !(isWordByte(text[index + needle.count]) || text[index + needle.count] == 46)
      {
        // `127.0.0.1:5353` is one word, and `127.0.0.1:$port` is not one: write it as a
        // concatenation, `"127.0.0.1:" . $port`.
        if index > 0, text[index - 1] == 58 {
          var start = result.count - 1
          while start > 0, ![32, 9, 40, 44].contains(result[start - 1]) { start -= 1 }
          let address = Array(result[start...])
          result.removeSubrange(start...)
          result += [34] + address + Array("\" . $port".utf8)
        } else {
          result += Array("$port".utf8)
        }
        index += needle.count
        continue
      }
      result.append(byte)
      index += 1
    }
    return String(decoding: result, as: UTF8.self)
  }

  /// One input's output lines, colour removed and what varies written `...`.
  static func masked(_ lines: [String], ports: Set<String>) -> [String] {
    let texts = lines.map { withoutColour(Array($0.utf8)) }
    var spans = texts.map { varyingSpans(in: $0, ports: ports) }
    // A table (`handles`): a varying cell followed by column padding shifts the columns after it
    // in every row, the header's too. Those columns' padding becomes `...`.
    var columns: Set<Int> = []
    for (text, lineSpans) in zip(texts, spans) {
      for span in lineSpans where spaces(in: text, from: span.upperBound) >= 2 {
        columns.insert(cellStart(in: text, before: span.lowerBound))
      }
    }
    for line in texts.indices {
      let text = texts[line]
      if !columns.isEmpty {
        for column in columns where column < text.count && (column == 0 || text[column - 1] == 32) {
          var index = column
          while index < text.count, !(text[index] == 32 && spaces(in: text, from: index) >= 2) { index += 1 }
          let run = spaces(in: text, from: index)
          if run > 0 { spans[line].append(index..<index + run) }
        }
      } else if let first = spans[line].map(\.lowerBound).min() {
        // An echo's annotation is padded to column 64: a port of another width moves it, unless
        // the call alone is past that column.
        var index = first
        while index < text.count {
          let run = spaces(in: text, from: index)
          if run >= 2 {
            let before = spans[line].filter { $0.upperBound <= index }.count
            if run > 2 || index - 4 * before <= 66 { spans[line].append(index + 2..<index + run) }
            index += run
          } else {
            index += 1
          }
        }
      }
    }
    return zip(texts, spans).map { text, lineSpans in
      escapingTranscriptSyntax(String(decoding: replacing(lineSpans, in: text), as: UTF8.self))
    }
  }

  /// Byte ranges of a line that vary: a port in `htons(N)` or after `ADDRESS:`, a pointer, the
  /// lesson's port or a port seen in the session as a number of its own.
  /// The ports a session's output shows (1024 and up: below are fd-sized numbers that a bare
  /// number in output may well be): an echo of `$fromport` prints one as a plain number.
  static func ports(in lines: [String]) -> Set<String> {
    var ports: Set<String> = []
    for line in lines {
      let text = withoutColour(Array(line.utf8))
      for span in varyingSpans(in: text, ports: []) where text[span].allSatisfy(isDigit) {
        let digits = String(decoding: text[span], as: UTF8.self)
        if let number = Int(digits), (1024...65535).contains(number) { ports.insert(digits) }
      }
    }
    return ports
  }

  static func varyingSpans(in text: [UInt8], ports: Set<String>) -> [Range<Int>] {
    var spans: [Range<Int>] = []
    let htons = Array("htons(".utf8)
    var index = 0
    while index < text.count {
      if index + htons.count <= text.count, text[index..<index + htons.count].elementsEqual(htons) {
        let start = index + htons.count
        let digits = text[start...].prefix(while: isDigit).count
        if digits > 0 {
          spans.append(start..<start + digits)
          index = start + digits
          continue
        }
      }
      // 127.0.0.1:51552, [::1]:51552
      if text[index] == 58, index > 0, isDigit(text[index - 1]) || text[index - 1] == 93 {
        let start = index + 1
        let digits = text[start...].prefix(while: isDigit).count
        let end = start + digits
        if digits > 0, end == text.count || !(isWordByte(text[end]) || text[end] == 46 || text[end] == 58) {
          spans.append(start..<end)
          index = end
          continue
        }
      }
      // `3/4/0` in the handles table: segments in and out depend on when the kernel sends its
      // acknowledgements; retransmissions (the last number) stay.
      if isDigit(text[index]), index > 0, text[index - 1] == 32 {
        let first = text[index...].prefix(while: isDigit).count
        var cursor = index + first
        if cursor < text.count, text[cursor] == 47 {
          let second = text[(cursor + 1)...].prefix(while: isDigit).count
          let slash = cursor + 1 + second
          if second > 0, slash < text.count, text[slash] == 47,
            text[(slash + 1)...].prefix(while: isDigit).count > 0
          {
            spans.append(index..<slash)
            cursor = slash
            index = cursor
            continue
          }
        }
      }
      // 0x7ffd5e8c1a20: a pointer; short hex numbers (flags, 0x1) stay.
      if text[index] == 48, index + 1 < text.count, text[index + 1] == 120, index == 0 || !isWordByte(text[index - 1]) {
        let start = index + 2
        let digits = text[start...].prefix(while: isHexDigit).count
        if digits >= 6 {
          spans.append(start..<start + digits)
          index = start + digits
          continue
        }
      }
      if !ports.isEmpty, isDigit(text[index]), index == 0 || !(isWordByte(text[index - 1]) || text[index - 1] == 46) {
        let digits = text[index...].prefix(while: isDigit)
        let end = index + digits.count
        if ports.contains(String(decoding: digits, as: UTF8.self)),
          end == text.count || !(isWordByte(text[end]) || text[end] == 46)
        {
          spans.append(index..<end)
        }
        index = end
        continue
      }
      index += 1
    }
    return spans
  }

  /// The text with each range (and ranges that touch) replaced by one `...`.
  private static func replacing(_ spans: [Range<Int>], in text: [UInt8]) -> [UInt8] {
    guard !spans.isEmpty else { return text }
    var merged: [Range<Int>] = []
    for span in spans.sorted(by: { $0.lowerBound < $1.lowerBound }) where !span.isEmpty {
      if let last = merged.last, span.lowerBound <= last.upperBound {
        merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, span.upperBound)
      } else {
        merged.append(span)
      }
    }
    var result: [UInt8] = []
    var index = 0
    for span in merged {
      let start = min(span.lowerBound, text.count)
      result += text[index..<start]
      result += Array("...".utf8)
      index = min(span.upperBound, text.count)
    }
    result += text[index...]
    return result
  }

  /// A line of output that would read as transcript syntax (an input, the end of the block)
  /// starts with `...`, which matches what it replaces.
  static func escapingTranscriptSyntax(_ line: String) -> String {
    let trimmed = line.trimmingSpaces()
    if line.hasPrefix("sockshell>") || trimmed.hasPrefix("```") { return "..." + line.dropFirst(1) }
    return line
  }

  /// The line without ANSI escape sequences (`ESC [ … letter`): the echo's colour on a terminal.
  static func withoutColour(_ text: [UInt8]) -> [UInt8] {
    guard text.contains(27) else { return text }
    var result: [UInt8] = []
    var index = 0
    while index < text.count {
      if text[index] == 27, index + 1 < text.count, text[index + 1] == 91 {
        index += 2
        while index < text.count, !(64...126).contains(text[index]) { index += 1 }
        index += 1
        continue
      }
      result.append(text[index])
      index += 1
    }
    return result
  }

  private static func spaces(in text: [UInt8], from index: Int) -> Int {
    guard index < text.count else { return 0 }
    return text[index...].prefix(while: { $0 == 32 }).count
  }

  /// Where the table cell holding `index` starts: after the column padding before it.
  private static func cellStart(in text: [UInt8], before index: Int) -> Int {
    var start = min(index, text.count)
    while start > 0 {
      if start >= 2, text[start - 1] == 32, text[start - 2] == 32 { return start }
      start -= 1
    }
    return 0
  }

  private static func identifiers(_ text: [UInt8]) -> [String] {
    text.split(whereSeparator: { !isWordByte($0) }).map { String(decoding: $0, as: UTF8.self).lowercased() }
  }

  private static func isDigit(_ byte: UInt8) -> Bool { (48...57).contains(byte) }
  private static func isHexDigit(_ byte: UInt8) -> Bool {
    isDigit(byte) || (97...102).contains(byte) || (65...70).contains(byte)
  }
  private static func isWordByte(_ byte: UInt8) -> Bool {
    isDigit(byte) || (65...90).contains(byte) || (97...122).contains(byte) || byte == 95
  }
}
