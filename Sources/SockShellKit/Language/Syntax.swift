/// An expression of the command language. Only the cases that hold other expressions are
/// indirect: boxing every literal cost an allocation per argument on every line.
public enum Expr: Equatable, Sendable {
  case literal(Value)
  case variable(String, column: Int)
  /// A named constant, resolved when the line is parsed.
  case constant(String, Value)
  /// A bare word that is nothing else: a string in command form (`127.0.0.1`, `wr`).
  case word(String)
  case list([Expr])
  indirect case index(Expr, Expr, column: Int)
  case concat([Expr])
  /// `MSG_PEEK|MSG_DONTWAIT`: integers or'd together.
  case bitOr([Expr])
  /// A command or function: `bind $s 127.0.0.1 5353` (command form) or `bind($s, ...)`, by the
  /// name as typed. A name no command has is reported when the interpreter gets there.
  case call(name: String, arguments: [Expr], column: Int)

  /// The variable this expression names, when it is a plain `$variable`.
  public var variableName: String? {
    if case .variable(let name, _) = self { return name }
    return nil
  }
}

/// One statement: what the learner typed between two `;`.
public struct Statement: Equatable, Sendable {
  public enum Kind: Equatable, Sendable {
    case expression(Expr)
    /// `$name = expr`, or `$name ??= expr` when `onlyIfUnset`.
    case assign(name: String, Expr, onlyIfUnset: Bool)
    /// `[$a, $b] = expr` and `list($a, $b) = expr`.
    case destructure(names: [String?], Expr)
    case echo([Expr])
  }

  public var kind: Kind
  /// `or die(message)`: nil when absent; the inner optional is the message, if one was given.
  public var orDie: Expr??
  public var column: Int

  public init(kind: Kind, orDie: Expr?? = nil, column: Int) {
    self.kind = kind
    self.orDie = orDie
    self.column = column
  }
}
