/// What the parser knows of a whole PHP program besides its tokens: where its lines start (so
/// that a statement names its line) and the text outside `<?php … ?>` to print between statements.
struct ProgramContext {
  /// The offset of each line's first byte in the program's code.
  var lineStarts: [Int]
  /// Text outside the tags, each at the offset in the code where it is printed.
  var texts: [(offset: Int, bytes: [UInt8])]
  var nextText = 0
  /// What `break` and `continue` can leave around the statement being parsed, the innermost last:
  /// `break N` may leave at most that many.
  var breakables: [Breakable] = []
  /// The functions declared so far, by lower-cased name (PHP's names ignore case).
  var functions: [String: UserFunction] = [:]
  /// The number of the code's first line; 0 when statements carry no line (typed at the prompt).
  var firstLine = 1
  /// Statements of the shell or of a script read line by line rather than a PHP file: the end of
  /// the text ends a statement as `;` does.
  var shell = false
  /// PHP's compile-time warnings, printed before the program runs.
  var warnings: [PHPProgram.Warning] = []

  enum Breakable { case loop, switchBlock }
}

/// What parsing a program gives the interpreter.
struct ParsedProgram {
  var statements: [ProgramStatement]
  var functions: [String: UserFunction]
  var warnings: [PHPProgram.Warning]
}

/// The statement layer of a PHP program: blocks, `if`, the loops, `break`/`continue`, over
/// the same tokens and expressions as a line. PHP's rule holds: newlines are blanks, and a
/// statement ends with `;` or with its block.
extension Parser {
  /// The statements of a program whose code is `code` (the file with everything outside the
  /// tags blanked, so that offsets are the file's); a SyntaxError's column is an offset + 1 in it.
  static func parseProgram(
    code: [UInt8], lineStarts: [Int], texts: [(offset: Int, bytes: [UInt8])], commands: any CommandNames
  ) throws(SyntaxError) -> ParsedProgram {
    try code.withUnsafeBufferPointer { (buffer) throws(SyntaxError) -> ParsedProgram in
      var tokens: [RawToken] = []
      var literals: [UInt8] = []
      try Lexer.scan(buffer, into: &tokens, literals: &literals, program: true)
      var parser = Parser(tokens: tokens, line: buffer, literals: literals, commands: commands)
      parser.program = ProgramContext(lineStarts: lineStarts, texts: texts)
      parser.allowsCommandForm = false
      let parsed = try parser.topLevel()
      return ParsedProgram(
        statements: parsed.statements, functions: parsed.functions,
        warnings: parser.program?.warnings ?? [])
    }
  }

  /// Statements of the shell that span lines or hold control statements (a line typed at the
  /// prompt, a statement of a script, a paste or a sourced file), parsed as a program: command
  /// form is allowed and the end of the text ends a statement. Their lines count from
  /// `firstLine` (0: they carry none); `functions` are those the session declared before. A
  /// SyntaxError's column is an offset + 1 in `code`, marked unfinished when more lines may
  /// finish it.
  static func parseShellStatements(
    code: ArraySlice<UInt8>, firstLine: Int, functions: [String: UserFunction], commands: any CommandNames
  ) throws(SyntaxError) -> (statements: [ProgramStatement], functions: [String: UserFunction]) {
    var lineStarts = [0]
    for index in code.indices where code[index] == 10 { lineStarts.append(index - code.startIndex + 1) }
    return try code.withUnsafeBufferPointer {
      (buffer) throws(SyntaxError) -> (statements: [ProgramStatement], functions: [String: UserFunction]) in
      var tokens: [RawToken] = []
      var literals: [UInt8] = []
      try Lexer.scan(buffer, into: &tokens, literals: &literals, program: true, phpOnly: false)
      var parser = Parser(tokens: tokens, line: buffer, literals: literals, commands: commands)
      var context = ProgramContext(lineStarts: lineStarts, texts: [])
      context.functions = functions
      context.firstLine = firstLine
      context.shell = true
      parser.program = context
      return try parser.topLevel()
    }
  }

  /// The statements of a program up to the end of its code, its functions hoisted.
  private mutating func topLevel() throws(SyntaxError) -> (
    statements: [ProgramStatement], functions: [String: UserFunction]
  ) {
    var statements: [ProgramStatement] = []
    // The statement being parsed is a control statement: stopping at the end of the text, it
    // is unfinished rather than wrong.
    var inControl = false
    do throws(SyntaxError) {
      while true {
        takeTexts(into: &statements)
        if tag == .end { return (statements, program?.functions ?? [:]) }
        if tag == .rightBrace {
          throw SyntaxError("unexpected '}': no '{' is open", column: current.column)
        }
        inControl = atControlStatement
        // PHP hoists a top-level declaration: the whole table exists before the first statement.
        if atKeyword("function"), nextTag == .word {
          try functionDeclaration()
          continue
        }
        statements.append(try programStatement())
      }
    } catch {
      throw marking(error, unfinishedIf: inControl)
    }
  }

  /// The current token starts a control statement or a block: `if`, `while`, `do`, `for`,
  /// `foreach`, `switch`, `function`, `{`.
  var atControlStatement: Bool {
    tag == .leftBrace || tag == .word && Parser.isControlKeyword(bytes(current))
  }

  static func isControlKeyword(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
    equalsIgnoringCase(word, "if") || equalsIgnoringCase(word, "while") || equalsIgnoringCase(word, "do")
      || equalsIgnoringCase(word, "for") || equalsIgnoringCase(word, "foreach")
      || equalsIgnoringCase(word, "switch") || equalsIgnoringCase(word, "function")
  }

  /// The 1-based line of a token.
  func lineOf(_ token: RawToken) -> Int {
    guard let first = program?.firstLine, program?.lineStarts != nil else { return 1 }
    if first == 0 { return 0 }
    return lineIndex(ofColumn: token.column) + first
  }

  /// The 0-based index, in the code's lineStarts, of the line holding a column.
  func lineIndex(ofColumn column: Int) -> Int {
    guard let starts = program?.lineStarts else { return 0 }
    let offset = column - 1
    var low = 0
    var high = starts.count
    // The last line starting at or before the offset.
    while high - low > 1 {
      let middle = (low + high) / 2
      if starts[middle] <= offset { low = middle } else { high = middle }
    }
    return low
  }

  /// Text outside the tags that comes before the current token, as statements that print it.
  mutating func takeTexts(into statements: inout [ProgramStatement]) {
    guard var context = program else { return }
    // At the end of the code every text left prints, whatever lies between the last token and it.
    while context.nextText < context.texts.count,
      tag == .end || context.texts[context.nextText].offset <= current.column - 1
    {
      statements.append(.text(context.texts[context.nextText].bytes))
      context.nextText += 1
    }
    program = context
  }

  mutating func programStatement() throws(SyntaxError) -> ProgramStatement {
    let token = current
    switch tag {
    case .semicolon:
      advance()
      return .empty
    case .leftBrace:
      try nest(token)
      defer { depth -= 1 }
      advance()
      var body: [ProgramStatement] = []
      while true {
        takeTexts(into: &body)
        if tag == .rightBrace { break }
        if tag == .end {
          throw SyntaxError("'{' is never closed with '}'", column: token.column, unfinished: true)
        }
        body.append(try programStatement())
      }
      advance()
      return .block(body)
    case .word:
      if atKeyword("if") { return try ifStatement() }
      if atKeyword("while") { return try whileStatement() }
      if atKeyword("do") { return try doWhileStatement() }
      if atKeyword("for") { return try forStatement() }
      if atKeyword("foreach") { return try foreachStatement() }
      if atKeyword("switch") { return try switchStatement() }
      if atKeyword("break") || atKeyword("continue") { return try loopJump() }
      if atKeyword("return") { return try returnStatement() }
      if atKeyword("global"), nextTag == .variable { return try globalStatement() }
      if atKeyword("function"), nextTag == .word {
        throw SyntaxError(
          "sockshell declares functions only at the top level of a program, not inside a block or a function",
          column: token.column)
      }
      if atKeyword("else") || atKeyword("elseif") {
        // In the shell an `if` runs once its statement ends, so an `else` on a line of its own
        // comes too late: the `}` and the `else` must share a line.
        let shell =
          program?.shell == true ? "; an if ends with its block, so write `} else {` on one line" : ""
        throw SyntaxError("'\(text(token))' without an 'if' before it\(shell)", column: token.column)
      }
    default: break
    }
    let line = lineOf(token)
    let statement = try statement()
    try expectSemicolon()
    return .simple(statement, line: line)
  }

  mutating func expectSemicolon() throws(SyntaxError) {
    // In the shell the end of the text ends a statement, and so do the end of a line and a `}`
    // (`for (…) {` / `$s = create inet stream` / `}` needs no `;`).
    if program?.shell == true, tag == .end || tag == .rightBrace || startsLine { return }
    guard tag == .semicolon else {
      throw SyntaxError(
        "expected ';' to end the statement, found \(describe(current))", column: current.column)
    }
    advance()
  }

  mutating func expectKeyword(_ keyword: StaticString) throws(SyntaxError) {
    guard atKeyword(keyword) else {
      throw SyntaxError("expected '\(keyword)', found \(describe(current))", column: current.column)
    }
    advance()
  }

  /// The `(` that must follow `after` (a keyword, or a function's name); its column, for the
  /// message if it is never closed.
  mutating func openParenthesis(after what: String) throws(SyntaxError) -> Int {
    guard tag == .leftParen else {
      throw SyntaxError("expected '(' after \(what), found \(describe(current))", column: current.column)
    }
    let open = current.column
    advance()
    return open
  }

  /// `( expression )` after `if`, `while` and the like.
  mutating func parenthesizedCondition(after keyword: String) throws(SyntaxError) -> Condition {
    let open = try openParenthesis(after: "'\(keyword)'")
    let line = lineOf(current)
    let expr = try expression()
    try expect(.rightParen, closing: open)
    return Condition(expr: expr, line: line)
  }

  /// A loop's body, with one loop more around it for `break N`.
  mutating func loopBody() throws(SyntaxError) -> ProgramStatement {
    program?.breakables.append(.loop)
    defer { program?.breakables.removeLast() }
    return try programStatement()
  }

  private mutating func ifStatement() throws(SyntaxError) -> ProgramStatement {
    try nest(current)
    defer { depth -= 1 }
    advance()
    var branches = [(try parenthesizedCondition(after: "if"), try programStatement())]
    // `else if` is read as `elseif`: the chain stays flat however long it is.
    while true {
      if atKeyword("elseif") {
        advance()
        branches.append((try parenthesizedCondition(after: "elseif"), try programStatement()))
      } else if atKeyword("else"), isKeyword(upcoming, "if") {
        advance()
        advance()
        branches.append((try parenthesizedCondition(after: "if"), try programStatement()))
      } else if atKeyword("else") {
        advance()
        return .conditional(branches, otherwise: try programStatement())
      } else {
        return .conditional(branches, otherwise: nil)
      }
    }
  }

  private mutating func whileStatement() throws(SyntaxError) -> ProgramStatement {
    try nest(current)
    defer { depth -= 1 }
    advance()
    let condition = try parenthesizedCondition(after: "while")
    return .whileLoop(condition, try loopBody())
  }

  private mutating func doWhileStatement() throws(SyntaxError) -> ProgramStatement {
    try nest(current)
    defer { depth -= 1 }
    advance()
    let body = try loopBody()
    try expectKeyword("while")
    let condition = try parenthesizedCondition(after: "while")
    try expectSemicolon()
    return .doWhile(body, condition)
  }

  /// Expressions separated by commas, up to `end` (which is not taken); none when `end` is next.
  private mutating func expressionList(until end: Token.Tag) throws(SyntaxError) -> [Expr] {
    var list: [Expr] = []
    guard tag != end else { return list }
    while true {
      list.append(try expression())
      guard tag == .comma else { return list }
      advance()
    }
  }

  private mutating func forStatement() throws(SyntaxError) -> ProgramStatement {
    try nest(current)
    defer { depth -= 1 }
    advance()
    let open = try openParenthesis(after: "'for'")
    let line = lineOf(current)
    let initial = try expressionList(until: .semicolon)
    try expectSemicolon()
    let conditions = try expressionList(until: .semicolon)
    try expectSemicolon()
    let steps = try expressionList(until: .rightParen)
    try expect(.rightParen, closing: open)
    return .forLoop(initial: initial, conditions: conditions, steps: steps, line: line, body: try loopBody())
  }

  /// `foreach (EXPR as $v)` and `foreach (EXPR as $k => $v)`.
  private mutating func foreachStatement() throws(SyntaxError) -> ProgramStatement {
    try nest(current)
    defer { depth -= 1 }
    advance()
    let open = try openParenthesis(after: "'foreach'")
    let line = lineOf(current)
    let list = try expression()
    try expectKeyword("as")
    var key: String?
    var (value, byReference) = try foreachVariable()
    if atDoubleArrow {
      if byReference { throw SyntaxError("a foreach key cannot be taken by reference", column: current.column) }
      advance()
      advance()
      key = value
      (value, byReference) = try foreachVariable()
    }
    try expect(.rightParen, closing: open)
    return .foreach(
      Condition(expr: list, line: line), key: key, value: value, byReference: byReference, body: try loopBody())
  }

  /// The `$v` or `&$v` of a foreach.
  private mutating func foreachVariable() throws(SyntaxError) -> (String, byReference: Bool) {
    var byReference = false
    if tag == .op, current.number == Token.Operator.amp.rawValue {
      byReference = true
      advance()
    }
    return (try foreachName(), byReference)
  }

  private mutating func foreachName() throws(SyntaxError) -> String {
    guard tag == .variable else {
      throw SyntaxError("expected a variable in foreach, found \(describe(current))", column: current.column)
    }
    let name = text(current)
    advance()
    return name
  }

}
