/// Turns a line into statements. A word that names a command starts command form
/// (`bind $s 127.0.0.1 5353`) unless a `(` follows it, which makes it call form
/// (`socket_bind($s, "127.0.0.1", 5353)`). The two give the same call, but not always the same
/// arguments: in command form a bare word is a string (`wr`), in call form it must be a constant.
public struct Parser {
  let tokens: [RawToken]
  let line: UnsafeBufferPointer<UInt8>
  /// The decoded bytes of the line's string literals.
  let literals: [UInt8]
  var position = 0
  /// How many brackets, parentheses and calls enclose the current token. Parsing recurses once
  /// per level and so does evaluating the tree: a bound keeps a line like `((((…1…))))` from
  /// running the stack out.
  var depth = 0
  /// Set while parsing statements that span lines (ProgramParser.swift).
  var program: ProgramContext?
  /// Command form is the shell's: a PHP file is written in call form only.
  var allowsCommandForm = true
  static let maximumDepth = 200
  /// The commands: a word that names one starts command form.
  let commands: any CommandNames

  init(
    tokens: [RawToken], line: UnsafeBufferPointer<UInt8>, literals: [UInt8], commands: any CommandNames
  ) {
    self.tokens = tokens
    self.line = line
    self.literals = literals
    self.commands = commands
  }

  public static func parse(_ line: String, commands: any CommandNames) throws(SyntaxError) -> [Statement] {
    var buffers = Buffers()
    var statements: [Statement] = []
    try parse(bytes: Array(line.utf8)[...], buffers: &buffers, commands: commands, into: &statements)
    return statements
  }

  /// The lexer's output, kept by a caller that parses line after line so that its storage is reused.
  struct Buffers {
    var tokens: [RawToken] = []
    var literals: [UInt8] = []
  }

  /// Appends the line's statements to `statements`.
  static func parse(
    bytes: ArraySlice<UInt8>, buffers: inout Buffers, commands: any CommandNames,
    into statements: inout [Statement]
  ) throws(SyntaxError) {
    try bytes.withUnsafeBufferPointer { (line) throws(SyntaxError) in
      try Lexer.scan(line, into: &buffers.tokens, literals: &buffers.literals)
      var parser = Parser(tokens: buffers.tokens, line: line, literals: buffers.literals, commands: commands)
      do throws(SyntaxError) {
        try parser.statements(into: &statements)
      } catch {
        throw parser.marking(error, unfinishedIf: false)
      }
    }
  }

  /// An error found where the input ends ("expected ')', found the end of the line") is one more
  /// input could mend: it is marked unfinished, as is a string the lexer found open.
  func markingUnfinished(_ error: SyntaxError) -> SyntaxError {
    guard tag == .end, error.column == current.column else { return error }
    var marked = error
    marked.unfinished = true
    return marked
  }

  var current: RawToken { tokens[position] }
  var tag: Token.Tag { tokens[position].tag }
  var nextTag: Token.Tag { tokens[min(position + 1, tokens.count - 1)].tag }
  var upcoming: RawToken { tokens[min(position + 1, tokens.count - 1)] }
  mutating func advance() { if position < tokens.count - 1 { position += 1 } }

  /// A word's or a variable's text, as a String for the syntax tree.
  func text(_ token: RawToken) -> String { Lexer.text(token, line) }

  func bytes(_ token: RawToken) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(rebasing: line[token.start..<token.end])
  }

  func isKeyword(_ token: RawToken, _ keyword: StaticString) -> Bool {
    token.tag == .word && Parser.equalsIgnoringCase(bytes(token), keyword)
  }

  /// The current token is the keyword (a word, compared without regard to case).
  func atKeyword(_ keyword: StaticString) -> Bool { isKeyword(current, keyword) }

  /// ASCII case-insensitive comparison with a lower-case keyword, without allocating.
  static func equalsIgnoringCase(_ word: UnsafeBufferPointer<UInt8>, _ keyword: StaticString) -> Bool {
    guard word.count == keyword.utf8CodeUnitCount else { return false }
    let expected = keyword.utf8Start
    for index in 0..<word.count {
      let byte = word[index]
      let lower = byte >= 65 && byte <= 90 ? byte + 32 : byte
      if lower != expected[index] { return false }
    }
    return true
  }

  static func equalsIgnoringCase(_ word: String, _ keyword: StaticString) -> Bool {
    var word = word
    return word.withUTF8 { equalsIgnoringCase($0, keyword) }
  }

  func describe(_ token: RawToken) -> String {
    Parser.describe(Lexer.kind(of: token, line: line, literals: literals))
  }

  /// The current token is the first of its line (only blanks before it since the last newline).
  var startsLine: Bool {
    var offset = current.column - 2
    while offset >= 0, offset < line.count {
      switch line[offset] {
      case 10: return true
      case 32, 9, 13: offset -= 1
      default: return false
      }
    }
    return false
  }

  var atStatementEnd: Bool {
    switch tag {
    case .semicolon, .end: true
    default: atKeyword("or")
    }
  }

  mutating func statements(into statements: inout [Statement]) throws(SyntaxError) {
    while true {
      while tag == .semicolon { advance() }
      if tag == .end { return }
      statements.append(try statement())
      switch tag {
      case .semicolon: continue
      case .end: return
      default:
        throw SyntaxError(
          "unexpected \(describe(current)); separate statements with ';'", column: current.column)
      }
    }
  }

  mutating func statement() throws(SyntaxError) -> Statement {
    let column = current.column
    let kind: Statement.Kind
    if atKeyword("echo") {
      advance()
      var items = [try expression()]
      while tag == .comma {
        advance()
        items.append(try expression())
      }
      kind = .echo(items)
    } else if nextTag == .assign || nextTag == .coalesceAssign, tag == .variable {
      let name = text(current)
      let onlyIfUnset = nextTag == .coalesceAssign
      let start = position
      advance()
      advance()
      if allowsCommandForm, tag == .word, nextTag != .leftParen,
        let command = commands.commandName(bytes(current))
      {
        // Command form on the right: `$s = create inet stream`.
        kind = .assign(name: name, try commandForm(command), onlyIfUnset: onlyIfUnset)
      } else {
        // An expression: PHP's precedence decides, so `$ok = f() and g()` assigns f() alone.
        position = start
        let expr = try expression()
        if case .assign(.variable(let target, _), let operation, let value, _) = expr,
          operation == .plain || operation == .coalesce
        {
          kind = .assign(name: target, value, onlyIfUnset: operation == .coalesce)
        } else {
          kind = .expression(expr)
        }
      }
    } else if tag == .assign && (nextTag == .end || nextTag == .semicolon) {
      // A lone `=` is the shell's shortcut for `handles`, as in socklab.
      advance()
      kind = .expression(.call(name: "handles", arguments: [], column: column))
    } else if let names = try destructuringTargets() {
      kind = .destructure(names: names, try commandOrExpression())
    } else {
      kind = .expression(try commandOrExpression(statementLevel: true))
    }

    guard atKeyword("or") else {
      // `print "x";` alone is an echo: its value, 1, is not shown.
      if case .expression(.print(let item, _)) = kind {
        return Statement(kind: .echo([item]), column: column)
      }
      return Statement(kind: kind, column: column)
    }
    return Statement(kind: kind, orDie: try orDie(), column: column)
  }

  /// `or die("message")`, `or die`, `or exit(...)`: the message, if one was given.
  mutating func orDie() throws(SyntaxError) -> Expr? {
    advance()
    guard atKeyword("die") || atKeyword("exit") else {
      throw SyntaxError("'or' must be followed by die(\"message\")", column: current.column)
    }
    advance()
    guard tag == .leftParen else { return nil }
    let open = current.column
    advance()
    var message: Expr?
    if tag != .rightParen { message = try expression() }
    try expect(.rightParen, closing: open)
    return message
  }

  /// `[$a, $b] =` or `list($a, $b) =`: the names, or nil when the line is not a destructuring.
  mutating func destructuringTargets() throws(SyntaxError) -> [String?]? {
    let start = position
    let isList = atKeyword("list") && nextTag == .leftParen
    guard tag == .leftBracket || isList else { return nil }
    if isList { advance() }
    let close: Token.Tag = isList ? .rightParen : .rightBracket
    advance()
    var names: [String?] = []
    while true {
      switch tag {
      case .variable:
        names.append(text(current))
        advance()
      case .comma:
        names.append(nil)
      default:
        position = start
        return nil
      }
      if tag == .comma {
        advance()
        continue
      }
      if tag == close, nextTag == .assign {
        advance()
        advance()
        return names
      }
      position = start
      return nil
    }
  }

  /// Parsing the arguments of a command written in command form.
  var inCommandForm = false

  /// The command at the current token, named `name`, with its arguments in command form.
  mutating func commandForm(_ name: String) throws(SyntaxError) -> Expr {
    let column = current.column
    advance()
    var arguments: [Expr] = []
    arguments.reserveCapacity(4)
    let outer = inCommandForm
    inCommandForm = true
    defer { inCommandForm = outer }
    // In the shell a command's arguments end with its line, and before a `}`, as a shell's do.
    while !atStatementEnd, !(program?.shell == true && (tag == .rightBrace || startsLine)) {
      arguments.append(try expression())
      if tag == .comma { advance() }
    }
    return .call(name: name, arguments: arguments, column: column)
  }

  mutating func commandOrExpression(statementLevel: Bool = false) throws(SyntaxError) -> Expr {
    // A PHP program is written in call form only.
    if !allowsCommandForm { return try expression() }
    if tag == .word, nextTag != .leftParen, let name = commands.commandName(bytes(current)) {
      return try commandForm(name)
    }
    // A lone identifier is an unknown command at the start of a statement, or when arguments
    // follow it; on the right of `=` on its own it is a bare string (`$mode = wr`).
    if tag == .word, nextTag != .leftParen, !atKeyword("print"), case let name = text(current),
      Parser.isIdentifier(name),
      !Parser.isLiteralWord(name), Constants.value(of: name) == nil,
      !Parser.looksLikeConstant(name), statementLevel || !endsStatement(upcoming)
    {
      let close = commands.suggestions(for: name)
      let hint = close.isEmpty ? "" : " (did you mean \(close.joined(separator: ", "))?)"
      throw SyntaxError("unknown command '\(name)'\(hint); type `help` for the list", column: current.column)
    }
    return try expression()
  }

  /// The error, marked unfinished when the parser stopped at the end of the text with a bracket
  /// still open, or when `statementOpen` (a control statement's body has not come yet): more
  /// text may finish what it began.
  func marking(_ error: SyntaxError, unfinishedIf statementOpen: Bool) -> SyntaxError {
    guard tag == .end, !error.unfinished else { return error }
    var marked = error
    if statementOpen {
      marked.unfinished = true
      return marked
    }
    var open = 0
    for token in tokens {
      switch token.tag {
      case .leftParen, .leftBracket, .leftBrace: open += 1
      case .rightParen, .rightBracket, .rightBrace: open -= 1
      default: break
      }
    }
    marked.unfinished = open > 0
    return marked
  }

  /// Enters one more level of nesting, or refuses a line nested deeper than anyone writes.
  mutating func nest(_ token: RawToken) throws(SyntaxError) {
    guard depth < Parser.maximumDepth else {
      throw SyntaxError(
        "brackets, parentheses, calls and operators are nested more than \(Parser.maximumDepth) deep here",
        column: token.column)
    }
    depth += 1
  }

  mutating func expect(_ kind: Token.Tag, closing open: Int) throws(SyntaxError) {
    guard tag == kind else {
      let what =
        kind == .rightParen
        ? "')' to close the '(' at \(place(open))" : "']' to close the '[' at \(place(open))"
      throw SyntaxError("expected \(what), found \(describe(current))", column: current.column)
    }
    advance()
  }

  /// Where a token lies, for a message about another: its column on a line; in a program, where a
  /// column counts from the start of the file, its line and column.
  func place(_ column: Int) -> String {
    guard let starts = program?.lineStarts, let first = program?.firstLine else { return "column \(column)" }
    let index = lineIndex(ofColumn: column)
    let within = "column \(column - starts[index])"
    // Statements typed at the prompt carry no line numbers: the column within its line says it.
    return first == 0 ? within : "line \(index + first) " + within
  }

  static func isIdentifier(_ word: String) -> Bool {
    word.utf8.allSatisfy { ($0 | 0x20) >= 97 && ($0 | 0x20) <= 122 || $0 == 95 || ($0 >= 48 && $0 <= 57) }
  }

  func endsStatement(_ token: RawToken) -> Bool {
    switch token.tag {
    case .semicolon, .end: true
    default: isKeyword(token, "or")
    }
  }

  static func isLiteralWord(_ word: String) -> Bool {
    equalsIgnoringCase(word, "null") || equalsIgnoringCase(word, "true") || equalsIgnoringCase(word, "false")
  }

  /// `AF_INTE`, `SOCK_STRAEM`: upper case with an underscore, so surely meant as a constant.
  static func looksLikeConstant(_ word: String) -> Bool {
    var sawUnderscore = false
    for (offset, c) in word.utf8.enumerated() {
      switch c {
      case 65...90: continue
      case 48...57 where offset > 0: continue
      case 95 where offset > 0: sawUnderscore = true
      default: return false
      }
    }
    return sawUnderscore
  }

  static func describe(_ kind: Token.Kind) -> String {
    switch kind {
    case .variable(let name): "$\(name)"
    case .handle(let number): "#\(number)"
    case .iovec(let number): "%\(number)"
    case .int(let value): "\(value)"
    case .double(let value): "\(value)"
    case .string: "a string"
    case .word(let word): "'\(word)'"
    case .leftParen: "'('"
    case .rightParen: "')'"
    case .leftBracket: "'['"
    case .rightBracket: "']'"
    case .comma: "','"
    case .semicolon: "';'"
    case .leftBrace: "'{'"
    case .rightBrace: "'}'"
    case .assign: "'='"
    case .coalesceAssign: "'??='"
    case .dot: "'.'"
    case .pipe: "'|'"
    case .op(let op): "'\(op.spelling)'"
    case .end: "the end of the line"
    }
  }
}
