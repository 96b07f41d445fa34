/// A lexical token of the command language, with the column (1-based, in bytes) where it starts.
public struct Token: Equatable, Sendable {
  public enum Kind: Equatable, Sendable {
    case variable(String)
    case handle(Int)
    case int(Int)
    case double(Double)
    case string([UInt8])
    /// A bare word: a command, a constant, a keyword, or in command form a string (`127.0.0.1`).
    case word(String)
    case leftParen, rightParen, leftBracket, rightBracket, comma, semicolon
    case assign, coalesceAssign, dot
    case end
  }

  public var kind: Kind
  public var column: Int
}

/// A mistake in a line, with where it is.
public struct SyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
  public var message: String
  public var column: Int

  public init(_ message: String, column: Int) {
    self.message = message
    self.column = column
  }

  public var description: String { "column \(column): \(message)" }
}
