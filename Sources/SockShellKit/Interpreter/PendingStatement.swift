/// A statement that goes on past the end of its line — an open `{`, `(` or `[`, a string or a
/// comment not closed yet, a control statement whose body has not come — gathered line by line
/// until the line that ends it; then it is parsed as a program (ProgramParser.swift) and run by
/// the program's executor in the same session. Each source of lines keeps one: a script, a
/// paste, a sourced file, the prompt (which shows `...> ` while it is not empty).
public struct PendingStatement {
  /// The lines so far, joined by newlines.
  public private(set) var text: [UInt8] = []
  public private(set) var lineCount = 0
  /// The line of its source it began on; nil at the prompt.
  public private(set) var firstLine: Int?
  /// An `if` waits for the next line, which may begin with its `else`: only where that line is
  /// written already (a script, a paste, a sourced file), not at the prompt.
  let waitsForElse: Bool
  var hold = Hold.none
  /// What is open at the end of the text, so that a line that cannot end the statement is not
  /// parsed again with all the lines before it: a block costs a parse when it closes, not one
  /// per line.
  var openness = Openness.statement

  /// A whole statement ending with an `if` that has no `else`, kept until a line shows whether
  /// an `else` follows.
  enum Hold {
    case none
    /// Nothing but blank lines and comments has come after it.
    case parsed(Parsed)
    /// Lines of `else` or `elseif` have come after it: it is parsed again, once, when a line
    /// that does not go on with them comes.
    case extended
  }

  typealias Parsed = (statements: [ProgramStatement], functions: [String: UserFunction])

  enum Openness: Equatable {
    /// Inside a string opened with this quote: only a line holding that byte may close it.
    case string(UInt8)
    /// Inside `/* … */`.
    case comment
    /// This many brackets open: the statement cannot end before they close.
    case brackets(Int)
    /// No bracket open: the statement may end (or wait for an if's body, a do's while).
    case statement
    /// Inside a literal of another kind, which a line read alone would be mistaken about: each
    /// line is parsed with the rest.
    case other
  }

  /// The most lines a statement may gather, and the most bytes: a file that opens a string and
  /// never closes it stops there instead of being read whole into one statement.
  public static let maximumLines = 10_000
  public static let maximumBytes = 1 << 20

  public init(waitsForElse: Bool) { self.waitsForElse = waitsForElse }

  public var isEmpty: Bool { lineCount == 0 }

  mutating func start(_ line: ArraySlice<UInt8>, at lineNumber: Int?) {
    clear()
    text = Array(line)
    lineCount = 1
    firstLine = lineNumber
  }

  /// Whether one more line fits.
  func admits(_ line: ArraySlice<UInt8>) -> Bool {
    lineCount < PendingStatement.maximumLines && line.count < PendingStatement.maximumBytes - text.count
  }

  mutating func append(_ line: ArraySlice<UInt8>) {
    text.append(10)
    text += line
    lineCount += 1
  }

  mutating func clear() {
    text = []
    lineCount = 0
    firstLine = nil
    hold = .none
    openness = .statement
  }

  /// Of the line parser's error and the program parser's, the one to show: the line parser's
  /// (the message a line has always had) unless it only says the line is unfinished.
  static func preferred(_ lineError: SyntaxError?, _ error: SyntaxError) -> SyntaxError {
    guard let lineError, !lineError.unfinished || error.unfinished else { return error }
    return lineError
  }

  /// Follows what is open through a line just appended; false when the statement surely does not
  /// end with it: a bracket is still open or a string goes on (a mistake in it waits to be
  /// reported until the statement could end).
  mutating func mayEnd(with line: ArraySlice<UInt8>) -> Bool {
    var depth = 0
    switch openness {
    case .string(let quote):
      return line.contains(quote)
    case .comment:
      return line.indices.contains {
        line[$0] == UInt8(ascii: "*") && $0 + 1 < line.endIndex && line[$0 + 1] == 47
      }
    case .brackets(let open):
      depth = open
    case .statement:
      break
    case .other:
      return true
    }
    var tokens: [RawToken] = []
    var literals: [UInt8] = []
    do {
      try line.withUnsafeBufferPointer { (buffer) throws(SyntaxError) in
        try Lexer.scan(buffer, into: &tokens, literals: &literals, program: true, phpOnly: false)
      }
    } catch {
      // A string or a comment opened on this line goes on: the statement does not end here.
      guard error.unfinished else { return true }
      openness = PendingStatement.openness(ofLexerError: error, in: line)
      return openness == .other
    }
    // A blank line or a comment changes nothing.
    if tokens.count == 1 { return false }
    for token in tokens {
      switch token.tag {
      case .leftParen, .leftBracket, .leftBrace: depth += 1
      case .rightParen, .rightBracket, .rightBrace:
        depth -= 1
        // More closed than opened: a mistake, to be reported now.
        if depth < 0 { return true }
      default: break
      }
    }
    openness = depth > 0 ? .brackets(depth) : .statement
    return depth == 0
  }

  /// What is open at the end of `text`, which the program parser found unfinished.
  mutating func measureOpenness() {
    var tokens: [RawToken] = []
    var literals: [UInt8] = []
    do {
      try text.withUnsafeBufferPointer { (buffer) throws(SyntaxError) in
        try Lexer.scan(buffer, into: &tokens, literals: &literals, program: true, phpOnly: false)
      }
    } catch {
      openness = PendingStatement.openness(ofLexerError: error, in: text[...])
      return
    }
    var depth = 0
    for token in tokens {
      switch token.tag {
      case .leftParen, .leftBracket, .leftBrace: depth += 1
      case .rightParen, .rightBracket, .rightBrace: depth -= 1
      default: break
      }
    }
    openness = depth > 0 ? .brackets(depth) : .statement
  }

  /// What an unfinished lexer error stopped inside: a string, a comment, or another literal.
  static func openness(ofLexerError error: SyntaxError, in text: ArraySlice<UInt8>) -> Openness {
    guard error.column >= 1, error.column <= text.count else { return .other }
    let byte = text[text.startIndex + error.column - 1]
    switch byte {
    case UInt8(ascii: "\""), UInt8(ascii: "'"): return .string(byte)
    case UInt8(ascii: "/"): return .comment
    default: return .other
    }
  }
}

extension Interpreter {
  /// Whether the line starts a control statement or a block: `if`, `while`, `do`, `for`,
  /// `foreach`, `switch`, `function` or `{` as its first word (or an `else` that lost its if,
  /// which the program parser explains). Asked of every line of a script, so it looks at bytes:
  /// most lines are decided by their first.
  @inline(__always)
  static func startsControlStatement(_ line: ArraySlice<UInt8>) -> Bool {
    var index = line.startIndex
    while index < line.endIndex, line[index] == 32 || line[index] == 9 { index += 1 }
    guard index < line.endIndex else { return false }
    let first = line[index]
    if first == UInt8(ascii: "{") { return true }
    switch first | 0x20 {
    case UInt8(ascii: "i"), UInt8(ascii: "w"), UInt8(ascii: "d"), UInt8(ascii: "f"), UInt8(ascii: "s"),
      UInt8(ascii: "e"):
      break
    default: return false
    }
    var end = index
    while end < line.endIndex, Lexer.isWordChar(line[end]) { end += 1 }
    return line[index..<end].withUnsafeBufferPointer {
      Parser.isControlKeyword($0) || Parser.equalsIgnoringCase($0, "else")
        || Parser.equalsIgnoringCase($0, "elseif")
    }
  }

  /// Whether the line begins with `else` or `elseif`.
  static func startsElse(_ line: ArraySlice<UInt8>) -> Bool {
    let start = line.firstIndex { $0 != 32 && $0 != 9 } ?? line.endIndex
    let end = line[start...].firstIndex { !Lexer.isWordChar($0) } ?? line.endIndex
    return line[start..<end].withUnsafeBufferPointer {
      Parser.equalsIgnoringCase($0, "else") || Parser.equalsIgnoringCase($0, "elseif")
    }
  }

  /// A line that holds no statement: blank, or only a comment.
  static func holdsNothing(_ line: ArraySlice<UInt8>) -> Bool {
    var tokens: [RawToken] = []
    var literals: [UInt8] = []
    do {
      try line.withUnsafeBufferPointer { (buffer) throws(SyntaxError) in
        try Lexer.scan(buffer, into: &tokens, literals: &literals, program: true, phpOnly: false)
      }
    } catch {
      return false
    }
    return tokens.first?.tag == .end
  }

  /// The first line of a statement the line parser did not take: parsed as a program, and run,
  /// kept for more lines, or reported.
  func startStatement(
    _ line: ArraySlice<UInt8>, lineNumber: Int?, pending: inout PendingStatement, lineError: SyntaxError?
  ) -> Bool {
    pending.start(line, at: lineNumber)
    return settle(&pending, lineError: lineError)
  }

  /// A line after the first of a statement left open, or of an if held for its else.
  func continueStatement(_ line: ArraySlice<UInt8>, lineNumber: Int?, pending: inout PendingStatement) -> Bool
  {
    lineDied = false
    switch pending.hold {
    case .none:
      break
    case .parsed(let held):
      // A blank line or a comment may come between an if's block and its else.
      if Interpreter.holdsNothing(line) {
        if pending.admits(line) { pending.append(line) }
        return true
      }
      guard Interpreter.startsElse(line) else {
        // Not an else: the if runs, then the line on its own.
        pending.clear()
        guard runParsed(held), !lineDied else { return exitStatus == nil }
        return run(bytes: line, lineNumber: lineNumber, pending: &pending)
      }
      pending.hold = .extended
      pending.openness = .statement
      return extend(&pending, with: line)
    case .extended:
      // Once its brackets are closed, a line that is not an else may follow the whole if.
      if pending.openness == .statement, !Interpreter.holdsNothing(line), !Interpreter.startsElse(line) {
        var whole = pending
        whole.hold = .none
        let parsed: PendingStatement.Parsed
        do {
          parsed = try parse(whole)
        } catch {
          guard error.unfinished else {
            report(error, in: pending)
            pending.clear()
            guard failedStatement() else { return false }
            return run(bytes: line, lineNumber: lineNumber, pending: &pending)
          }
          // `else` on a line of its own: this line is its body.
          pending.hold = .none
          return gather(line, into: &pending)
        }
        pending.clear()
        guard runParsed(parsed), !lineDied else { return exitStatus == nil }
        return run(bytes: line, lineNumber: lineNumber, pending: &pending)
      }
      return extend(&pending, with: line)
    }
    return gather(line, into: &pending)
  }

  /// A line of an if's `else` part: kept, and parsed with the rest once the whole if has come.
  private func extend(_ pending: inout PendingStatement, with line: ArraySlice<UInt8>) -> Bool {
    guard pending.admits(line) else { return overflow(&pending) }
    pending.append(line)
    _ = pending.mayEnd(with: line)
    return true
  }

  /// Adds a line to the statement; parses it when the line may end it.
  private func gather(_ line: ArraySlice<UInt8>, into pending: inout PendingStatement) -> Bool {
    guard pending.admits(line) else { return overflow(&pending) }
    pending.append(line)
    guard pending.mayEnd(with: line) else { return true }
    return settle(&pending, lineError: nil)
  }

  /// The statement has outgrown the bound: none of it runs, nor (in a script) what follows, which
  /// is the middle of that statement and would fail line by line.
  private func overflow(_ pending: inout PendingStatement) -> Bool {
    self.lineNumber = pending.firstLine
    pending.clear()
    report(
      "this statement goes on for more than \(PendingStatement.maximumLines) lines or "
        + "\(PendingStatement.maximumBytes >> 20) MiB without ending; none of it was run, nor what follows")
    if settings.interactive {
      lineDied = true
    } else {
      stop(status: 1)
    }
    return failedStatement()
  }

  private func parse(_ pending: PendingStatement) throws(SyntaxError) -> PendingStatement.Parsed {
    try Parser.parseShellStatements(
      code: pending.text[...], firstLine: pending.firstLine ?? 0, functions: userFunctions, commands: table)
  }

  /// Whether `line`, after what `pending` holds, leaves the statement open, as running it would
  /// find: the shell then asks for the next line under `...> `, and keeps the lines for one
  /// history entry. Nothing runs.
  public func leavesStatementOpen(_ line: ArraySlice<UInt8>, after pending: PendingStatement) -> Bool {
    var pending = pending
    var lineError: SyntaxError?
    if pending.isEmpty {
      if !Interpreter.startsControlStatement(line) {
        var statements: [Statement] = []
        var buffers = Parser.Buffers()
        do {
          try Parser.parse(bytes: line, buffers: &buffers, commands: table, into: &statements)
          return false
        } catch {
          lineError = error
        }
      }
      pending.start(line, at: nil)
    } else {
      // The prompt holds no if for its else.
      guard case .none = pending.hold, pending.admits(line) else { return false }
      pending.append(line)
      guard pending.mayEnd(with: line) else { return true }
    }
    do {
      _ = try parse(pending)
      return false
    } catch {
      return PendingStatement.preferred(lineError, error).unfinished
    }
  }

  /// Parses what `pending` holds: runs it when it is whole, keeps it when more lines may end it.
  private func settle(_ pending: inout PendingStatement, lineError: SyntaxError?) -> Bool {
    lineDied = false
    let parsed: PendingStatement.Parsed
    do {
      parsed = try parse(pending)
    } catch {
      let error = PendingStatement.preferred(lineError, error)
      if error.unfinished {
        pending.measureOpenness()
        return true
      }
      report(error, in: pending)
      pending.clear()
      return failedStatement()
    }
    // The recorder saw the first line; a statement of several lines is shown to it whole.
    if pending.lineCount > 1, let recorder { recorder.willRun(pending.text[...]) }
    // An if may be followed by its else on the next line of a script.
    if pending.waitsForElse, case .conditional(_, otherwise: nil)? = parsed.statements.last {
      pending.hold = .parsed(parsed)
      return true
    }
    pending.clear()
    return runParsed(parsed)
  }

  /// Runs a whole statement, its functions declared for the rest of the session.
  private func runParsed(_ parsed: PendingStatement.Parsed) -> Bool {
    userFunctions = parsed.functions
    _ = run(parsed.statements)
    lineDied = abandonLine
    abandonLine = false
    return exitStatus == nil
  }

  /// At the end of a source: an if held for its else runs; a statement still open is an error
  /// naming the line it began on.
  @discardableResult
  public func finish(_ pending: inout PendingStatement, at end: String) -> Bool {
    guard !pending.isEmpty else { return exitStatus == nil }
    if case .parsed(let held) = pending.hold {
      pending.clear()
      return runParsed(held)
    }
    do {
      let parsed = try parse(pending)
      pending.clear()
      return runParsed(parsed)
    } catch {
      if !error.unfinished {
        report(error, in: pending)
      } else {
        self.lineNumber = pending.firstLine
        report("this statement is not finished at the end of \(end): " + error.message)
      }
      pending.clear()
      return failedStatement()
    }
  }

  /// Counts a statement that could not run; with --fail-fast the session ends.
  private func failedStatement() -> Bool {
    countError()
    if settings.failFast { stop(status: 1) }
    return exitStatus == nil
  }

  /// A mistake in a statement of several lines, named by its line and column in the source (and
  /// the line the statement began on), or at the prompt by its line in what was typed.
  private func report(_ error: SyntaxError, in pending: PendingStatement) {
    let offset = min(max(0, error.column - 1), pending.text.count)
    var lineIndex = 0
    var lineStart = 0
    for index in 0..<offset where pending.text[index] == 10 {
      lineIndex += 1
      lineStart = index + 1
    }
    let column = offset - lineStart + 1
    if let first = pending.firstLine {
      self.lineNumber = first + lineIndex
      report(
        "column \(column): \(error.message)"
          + (lineIndex > 0 ? " (in the statement that begins on line \(first))" : ""))
    } else if pending.lineCount > 1 {
      self.lineNumber = nil
      report("line \(lineIndex + 1) of the statement, column \(column): \(error.message)")
    } else {
      self.lineNumber = nil
      report("column \(column): \(error.message)")
    }
  }
}
