/// Turns a line into statements. A word that names a command starts command form
/// (`bind $s 127.0.0.1 5353`) unless a `(` follows it, which makes it call form
/// (`socket_bind($s, "127.0.0.1", 5353)`). The two give the same call, but not always the same
/// arguments: in command form a bare word is a string (`wr`), in call form it must be a constant.
public struct Parser {
  private let tokens: [RawToken]
  private let line: UnsafeBufferPointer<UInt8>
  /// The decoded bytes of the line's string literals.
  private let literals: [UInt8]
  private var position = 0
  /// How many brackets, parentheses and calls enclose the current token. Parsing recurses once
  /// per level and so does evaluating the tree: a bound keeps a line like `((((…1…))))` from
  /// running the stack out.
  private var depth = 0
  static let maximumDepth = 200
  /// The commands: a word that names one starts command form.
  private let commands: any CommandNames

  private init(
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
      try parser.statements(into: &statements)
    }
  }

  private var current: RawToken { tokens[position] }
  private var tag: Token.Tag { tokens[position].tag }
  private var nextTag: Token.Tag { tokens[min(position + 1, tokens.count - 1)].tag }
  private var upcoming: RawToken { tokens[min(position + 1, tokens.count - 1)] }
  private mutating func advance() { if position < tokens.count - 1 { position += 1 } }

  /// A word's or a variable's text, as a String for the syntax tree.
  private func text(_ token: RawToken) -> String { Lexer.text(token, line) }

  private func bytes(_ token: RawToken) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(rebasing: line[token.start..<token.end])
  }

  private func isKeyword(_ token: RawToken, _ keyword: StaticString) -> Bool {
    token.tag == .word && Parser.equalsIgnoringCase(bytes(token), keyword)
  }

  /// The current token is the keyword (a word, compared without regard to case).
  private func atKeyword(_ keyword: StaticString) -> Bool { isKeyword(current, keyword) }

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

  private func describe(_ token: RawToken) -> String {
    Parser.describe(Lexer.kind(of: token, line: line, literals: literals))
  }

  private var atStatementEnd: Bool {
    switch tag {
    case .semicolon, .end: true
    default: atKeyword("or")
    }
  }

  private mutating func statements(into statements: inout [Statement]) throws(SyntaxError) {
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

  private mutating func statement() throws(SyntaxError) -> Statement {
    let column = current.column
    let kind: Statement.Kind
    if atKeyword("echo") || atKeyword("print") {
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
      advance()
      advance()
      kind = .assign(name: name, try commandOrExpression(), onlyIfUnset: onlyIfUnset)
    } else if tag == .assign && (nextTag == .end || nextTag == .semicolon) {
      // A lone `=` is the shell's shortcut for `handles`, as in socklab.
      advance()
      kind = .expression(.call(name: "handles", arguments: [], column: column))
    } else if let names = try destructuringTargets() {
      kind = .destructure(names: names, try commandOrExpression())
    } else {
      kind = .expression(try commandOrExpression(statementLevel: true))
    }

    guard atKeyword("or") else { return Statement(kind: kind, column: column) }
    return Statement(kind: kind, orDie: try orDie(), column: column)
  }

  /// `or die("message")`, `or die`, `or exit(...)`: the message, if one was given.
  private mutating func orDie() throws(SyntaxError) -> Expr? {
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
  private mutating func destructuringTargets() throws(SyntaxError) -> [String?]? {
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
  private var inCommandForm = false

  private mutating func commandOrExpression(statementLevel: Bool = false) throws(SyntaxError) -> Expr {
    if tag == .word, nextTag != .leftParen, let name = commands.commandName(bytes(current)) {
      let column = current.column
      advance()
      var arguments: [Expr] = []
      arguments.reserveCapacity(4)
      let outer = inCommandForm
      inCommandForm = true
      defer { inCommandForm = outer }
      while !atStatementEnd {
        arguments.append(try expression())
        if tag == .comma { advance() }
      }
      return .call(name: name, arguments: arguments, column: column)
    }
    // A lone identifier is an unknown command at the start of a statement, or when arguments
    // follow it; on the right of `=` on its own it is a bare string (`$mode = wr`).
    if tag == .word, nextTag != .leftParen, case let name = text(current), Parser.isIdentifier(name),
      !Parser.isLiteralWord(name), Constants.value(of: name) == nil,
      !Parser.looksLikeConstant(name), statementLevel || !endsStatement(upcoming)
    {
      let close = commands.suggestions(for: name)
      let hint = close.isEmpty ? "" : " (did you mean \(close.joined(separator: ", "))?)"
      throw SyntaxError("unknown command '\(name)'\(hint); type `help` for the list", column: current.column)
    }
    return try expression()
  }

  /// `a . b | c`: `|` binds more loosely than `.`, as in PHP.
  private mutating func expression() throws(SyntaxError) -> Expr {
    // Most arguments are one token with no operator after it: straight to the token.
    switch tag {
    case .int, .double, .string, .handle, .iovec, .variable, .word:
      switch nextTag {
      case .dot, .pipe, .leftBracket, .leftParen: break
      default: return try primary()
      }
    default: break
    }
    let first = try concatenation()
    guard tag == .pipe else { return first }
    var parts = [first]
    while tag == .pipe {
      advance()
      parts.append(try concatenation())
    }
    return .bitOr(parts)
  }

  private mutating func concatenation() throws(SyntaxError) -> Expr {
    let first = try postfix()
    // Most arguments are one value: no array for them.
    guard tag == .dot else { return first }
    var parts = [first]
    while tag == .dot {
      advance()
      parts.append(try postfix())
    }
    return .concat(parts)
  }

  private mutating func postfix() throws(SyntaxError) -> Expr {
    var base = try primary()
    // Each subscript wraps the tree once more: `$a[0][0]…` counts against the nesting bound.
    let outerDepth = depth
    defer { depth = outerDepth }
    // In command form a space ends an argument: `set_option $s SOL_SOCKET SO_LINGER [1, 0]`.
    while tag == .leftBracket && !(inCommandForm && current.spaceBefore) {
      try nest(current)
      let open = current.column
      advance()
      let subscriptExpr = try expression()
      try expect(.rightBracket, closing: open)
      base = .index(base, subscriptExpr, column: open)
    }
    return base
  }

  private mutating func primary() throws(SyntaxError) -> Expr {
    let token = current
    switch token.tag {
    case .int:
      advance()
      return .literal(.int(token.number))
    case .double:
      advance()
      return .literal(.double(token.double))
    case .string:
      advance()
      return .literal(.bytes(Array(literals[token.start..<token.end])))
    case .handle:
      advance()
      return .literal(.handle(token.number))
    case .iovec:
      advance()
      return .literal(.iovec(token.number))
    case .variable:
      advance()
      return .variable(text(token), column: token.column)
    case .leftParen:
      try nest(token)
      defer { depth -= 1 }
      advance()
      let outer = inCommandForm
      inCommandForm = false
      defer { inCommandForm = outer }
      let inner = try expression()
      try expect(.rightParen, closing: token.column)
      return inner
    case .leftBracket:
      try nest(token)
      defer { depth -= 1 }
      advance()
      let outer = inCommandForm
      inCommandForm = false
      defer { inCommandForm = outer }
      var items: [Expr] = []
      while tag != .rightBracket {
        if tag == .end { throw SyntaxError("'[' is never closed with ']'", column: token.column) }
        items.append(try expression())
        if tag == .comma { advance() }
      }
      advance()
      return .list(items)
    case .word:
      advance()
      let word = bytes(token)
      if tag == .leftParen {
        try nest(token)
        defer { depth -= 1 }
        let name = commands.commandName(word) ?? text(token)
        let open = current.column
        advance()
        let outer = inCommandForm
        inCommandForm = false
        defer { inCommandForm = outer }
        var arguments: [Expr] = []
        arguments.reserveCapacity(4)
        while tag != .rightParen {
          if tag == .end { throw SyntaxError("'(' is never closed with ')'", column: open) }
          arguments.append(try expression())
          if tag == .comma {
            advance()
          } else if tag != .rightParen {
            throw SyntaxError(
              "expected ',' or ')' in the arguments of \(name), found \(describe(current))",
              column: current.column)
          }
        }
        advance()
        return .call(name: name, arguments: arguments, column: token.column)
      }
      if Parser.equalsIgnoringCase(word, "null") { return .literal(.null) }
      if Parser.equalsIgnoringCase(word, "true") { return .literal(.bool(true)) }
      if Parser.equalsIgnoringCase(word, "false") { return .literal(.bool(false)) }
      if let constant = Constants.lookup(word) { return .constant(constant.name, constant.value) }
      let name = text(token)
      if Parser.looksLikeConstant(name) {
        let close = Constants.suggestions(for: name)
        let hint = close.isEmpty ? "" : " (did you mean \(close.joined(separator: ", "))?)"
        throw SyntaxError("unknown constant \(name)\(hint)", column: token.column)
      }
      return .word(name)
    default:
      throw SyntaxError("expected a value, found \(describe(token))", column: token.column)
    }
  }

  /// Enters one more level of nesting, or refuses a line nested deeper than anyone writes.
  private mutating func nest(_ token: RawToken) throws(SyntaxError) {
    guard depth < Parser.maximumDepth else {
      throw SyntaxError(
        "brackets, parentheses and calls are nested more than \(Parser.maximumDepth) deep here",
        column: token.column)
    }
    depth += 1
  }

  private mutating func expect(_ kind: Token.Tag, closing open: Int) throws(SyntaxError) {
    guard tag == kind else {
      let what =
        kind == .rightParen
        ? "')' to close the '(' at column \(open)" : "']' to close the '[' at column \(open)"
      throw SyntaxError("expected \(what), found \(describe(current))", column: current.column)
    }
    advance()
  }

  static func isIdentifier(_ word: String) -> Bool {
    word.utf8.allSatisfy { ($0 | 0x20) >= 97 && ($0 | 0x20) <= 122 || $0 == 95 || ($0 >= 48 && $0 <= 57) }
  }

  private func endsStatement(_ token: RawToken) -> Bool {
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
    case .assign: "'='"
    case .coalesceAssign: "'??='"
    case .dot: "'.'"
    case .pipe: "'|'"
    case .end: "the end of the line"
    }
  }
}
