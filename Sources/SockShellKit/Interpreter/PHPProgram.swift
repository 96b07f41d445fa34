/// A PHP file (one that opens with `<?php`) read whole and parsed as one program, as PHP reads
/// it: a statement may span lines, and nothing runs unless all of it parses.
public struct PHPProgram: Sendable {
  public let statements: [ProgramStatement]
  /// The functions the program declares, by lower-cased name.
  public var functions: [String: UserFunction] = [:]
  /// What PHP warns about as it compiles the program, shown before it runs.
  public var warnings: [Warning] = []

  public struct Warning: Sendable, Equatable {
    public var message: String
    public var line: Int
  }

  /// Where a program failed to parse: its 1-based line and column, and the line as written.
  public struct ParseError: Error, Sendable {
    public var message: String
    public var line: Int
    public var column: Int
    public var text: [UInt8]
  }

  /// The file's code, with everything outside the tags (and the tags, and a `#!` line) blanked
  /// so that each byte of code keeps its offset, hence its line and column; a `?>` becomes the
  /// `;` it stands for in PHP. Text outside the tags is kept apart, with where it prints.
  struct Code {
    var bytes: [UInt8]
    var lineStarts: [Int] = []
    var texts: [(offset: Int, bytes: [UInt8])] = []
  }

  /// The code of a file, or nil when the file is not PHP (a sockshell script runs line by line).
  static func code(of file: [UInt8]) -> Code? {
    var code = Code(bytes: file)
    var text = PHPFileText()
    var lineStart = 0
    while lineStart <= file.count {
      // The end of a file that ends with a newline is no line of its own: nothing there prints.
      if lineStart == file.count, lineStart > 0 {
        code.lineStarts.append(lineStart)
        break
      }
      let lineEnd = file[lineStart...].firstIndex(of: 10) ?? file.count
      code.lineStarts.append(lineStart)
      var line = file[lineStart..<lineEnd]
      if line.last == 13 { line = line.dropLast() }
      let parts = text.parts(of: line)
      // A `#!` first line decides nothing; the line after it does.
      if text.decided && !text.isPHP { return nil }
      // Bytes from `cursor` up to the next part of code are not code.
      var cursor = lineStart
      for part in parts {
        switch part {
        case .code(let slice):
          for offset in cursor..<slice.startIndex { code.bytes[offset] = 32 }
          cursor = slice.endIndex
          if cursor + 1 < lineEnd, file[cursor] == UInt8(ascii: "?"), file[cursor + 1] == UInt8(ascii: ">") {
            code.bytes[cursor] = UInt8(ascii: ";")
            code.bytes[cursor + 1] = 32
            cursor += 2
          }
        case .text(let bytes):
          code.texts.append((cursor, bytes))
        }
      }
      for offset in cursor..<lineEnd where code.bytes[offset] != 10 { code.bytes[offset] = 32 }
      lineStart = lineEnd + 1
    }
    return code
  }

  /// The program in `file`: nil when the file is not PHP, a ParseError at its first mistake.
  public static func parse(file: [UInt8], commands: any CommandNames) -> Result<PHPProgram, ParseError>? {
    guard let code = code(of: file) else { return nil }
    do {
      let parsed = try Parser.parseProgram(
        code: code.bytes, lineStarts: code.lineStarts, texts: code.texts, commands: commands)
      return .success(
        PHPProgram(statements: parsed.statements, functions: parsed.functions, warnings: parsed.warnings))
    } catch {
      let offset = max(0, min(error.column - 1, file.count))
      var line = 0
      while line + 1 < code.lineStarts.count, code.lineStarts[line + 1] <= offset { line += 1 }
      let start = code.lineStarts[line]
      var end = file[start...].firstIndex(of: 10) ?? file.count
      if end > start, file[end - 1] == 13 { end -= 1 }
      return .failure(
        ParseError(
          message: error.message, line: line + 1, column: offset - start + 1, text: Array(file[start..<end])))
    }
  }
}
