/// A lexical token of the command language, with the column (1-based, in bytes) where it starts.
public struct Token: Equatable, Sendable {
  public enum Kind: Equatable, Sendable {
    case variable(String)
    case handle(Int)
    /// `%2`: an iovec object.
    case iovec(Int)
    case int(Int)
    case double(Double)
    case string([UInt8])
    /// A bare word: a command, a constant, a keyword, or in command form a string (`127.0.0.1`).
    case word(String)
    case leftParen, rightParen, leftBracket, rightBracket, comma, semicolon
    /// `{` and `}`: the blocks of a PHP program.
    case leftBrace, rightBrace
    case assign, coalesceAssign, dot
    /// `|`: flags combined, `MSG_PEEK|MSG_DONTWAIT`.
    case pipe
    /// Any other operator: `+`, `===`, `??`, `+=`, `++`, `?`, `:`.
    case op(Operator)
    case end
  }

  /// The operators the lexer knows besides `=`, `??=`, `.` and `|`, which have tags of their own.
  public enum Operator: Int, Sendable {
    case plus, minus, star, slash, percent, power, amp, caret, tilde, bang, at
    case shiftLeft, shiftRight, andAnd, orOr
    case equal, notEqual, identical, notIdentical, less, greater, lessEqual, greaterEqual, spaceship
    case question, colon, coalesce, increment, decrement
    case plusAssign, minusAssign, starAssign, slashAssign, dotAssign, percentAssign, powerAssign
    case pipeAssign, ampAssign, caretAssign, shiftLeftAssign, shiftRightAssign

    public var spelling: String {
      switch self {
      case .plus: "+"
      case .minus: "-"
      case .star: "*"
      case .slash: "/"
      case .percent: "%"
      case .power: "**"
      case .amp: "&"
      case .caret: "^"
      case .tilde: "~"
      case .bang: "!"
      case .at: "@"
      case .shiftLeft: "<<"
      case .shiftRight: ">>"
      case .andAnd: "&&"
      case .orOr: "||"
      case .equal: "=="
      case .notEqual: "!="
      case .identical: "==="
      case .notIdentical: "!=="
      case .less: "<"
      case .greater: ">"
      case .lessEqual: "<="
      case .greaterEqual: ">="
      case .spaceship: "<=>"
      case .question: "?"
      case .colon: ":"
      case .coalesce: "??"
      case .increment: "++"
      case .decrement: "--"
      case .plusAssign: "+="
      case .minusAssign: "-="
      case .starAssign: "*="
      case .slashAssign: "/="
      case .dotAssign: ".="
      case .percentAssign: "%="
      case .powerAssign: "**="
      case .pipeAssign: "|="
      case .ampAssign: "&="
      case .caretAssign: "^="
      case .shiftLeftAssign: "<<="
      case .shiftRightAssign: ">>="
      }
    }
  }

  /// The kind without its payload: what the parser tests most of the time, without copying
  /// (and retaining) a word or a string on every look.
  public enum Tag: Equatable, Sendable {
    case variable, handle, iovec, int, double, string, word
    case leftParen, rightParen, leftBracket, rightBracket, comma, semicolon
    case leftBrace, rightBrace
    case assign, coalesceAssign, dot, pipe
    case op
    case end

    init(_ kind: Kind) {
      switch kind {
      case .variable: self = .variable
      case .handle: self = .handle
      case .iovec: self = .iovec
      case .int: self = .int
      case .double: self = .double
      case .string: self = .string
      case .word: self = .word
      case .leftParen: self = .leftParen
      case .rightParen: self = .rightParen
      case .leftBracket: self = .leftBracket
      case .rightBracket: self = .rightBracket
      case .comma: self = .comma
      case .semicolon: self = .semicolon
      case .leftBrace: self = .leftBrace
      case .rightBrace: self = .rightBrace
      case .assign: self = .assign
      case .coalesceAssign: self = .coalesceAssign
      case .dot: self = .dot
      case .pipe: self = .pipe
      case .op: self = .op
      case .end: self = .end
      }
    }
  }

  public var kind: Kind {
    didSet { tag = Tag(kind) }
  }
  public private(set) var tag: Tag
  public var column: Int
  /// Blank space came before the token: in command form `f [1, 2]` is two arguments, `f[1]` one.
  public var spaceBefore = false

  public init(kind: Kind, column: Int) {
    self.kind = kind
    self.tag = Tag(kind)
    self.column = column
  }

  public static func == (lhs: Token, rhs: Token) -> Bool { lhs.kind == rhs.kind && lhs.column == rhs.column }
}

/// A mistake in a line, with where it is.
public struct SyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
  public var message: String
  public var column: Int
  /// The input ended inside something still open (a string, a heredoc, a comment, a bracket or a
  /// block), so that more lines could complete it: the prompt asks for a continuation line
  /// instead of reporting the error.
  public var unfinished: Bool

  public init(_ message: String, column: Int, unfinished: Bool = false) {
    self.message = message
    self.column = column
    self.unfinished = unfinished
  }

  public var description: String { "column \(column): \(message)" }
}
