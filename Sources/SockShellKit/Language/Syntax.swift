/// An expression of the command language. Only the cases that hold other expressions are
/// indirect: boxing every literal cost an allocation per argument on every line.
public enum Expr: Equatable, Sendable {
  case literal(Value)
  case variable(String, column: Int)
  /// A named constant, resolved when the line is parsed.
  case constant(String, Value)
  /// A bare word that is nothing else: a string in command form (`127.0.0.1`, `wr`).
  case word(String)
  /// `[a, b]`, `['k' => v, 5 => w]`, `array(…)`: each value with its key, or nil for the next
  /// integer key.
  case arrayLiteral(keys: [Expr?], values: [Expr])
  /// `isset($a, $b['k'])`: every one set and not null; nothing is read with a warning.
  case isset([Expr])
  /// `empty($x)`: not set, or set to a value that is false.
  indirect case empty(Expr)
  /// `unset($a, $b[1])`: the variables and elements are removed.
  case unset([Expr])
  indirect case index(Expr, Expr, column: Int)
  case concat([Expr])
  /// A double-quoted string with `$x`, `{$a['k']}` in it: literal bytes and values, joined as
  /// PHP converts each to a string. A string without them is a `.literal`.
  case interpolated([Expr])
  /// `MSG_PEEK|MSG_DONTWAIT`: integers or'd together.
  case bitOr([Expr])
  /// A command or function: `bind $s 127.0.0.1 5353` (command form) or `bind($s, ...)`, by the
  /// name as typed. A name no command has is reported when the interpreter gets there.
  case call(name: String, arguments: [Expr], column: Int)
  /// `$a[]`: where `$a[] = x` appends; only ever the target of an assignment.
  indirect case append(Expr, column: Int)
  indirect case unary(UnaryOperator, Expr, column: Int)
  indirect case binary(BinaryOperator, Expr, Expr, column: Int)
  /// `&&`, `||`, `and`, `or`, `xor`, `??`: the right side is evaluated only when needed.
  indirect case logical(LogicalOperator, Expr, Expr, column: Int)
  /// `a ? b : c`, and `a ?: c` when the middle is nil.
  indirect case ternary(Expr, Expr?, Expr, column: Int)
  indirect case cast(CastType, Expr, column: Int)
  /// `$x = v`, and the compound forms `$x += v` (`operation` names the operator); `??=` assigns
  /// only when the target is unset or null.
  indirect case assign(Expr, AssignOperation, Expr, column: Int)
  /// `++$x`, `$x--`: `delta` is 1 or -1.
  indirect case increment(Expr, delta: Int, prefix: Bool, column: Int)
  /// `print EXPR`: writes the value as `echo` does, and is worth 1 (`$r = print "x";`).
  indirect case print(Expr, column: Int)
  /// `exit`, `exit(N)`, `exit("message")`, `die(…)` in a program, as a statement or inside an
  /// expression (`$s = f() or die("…")`): an integer is the exit status, anything else is printed
  /// and the status is 0, as in PHP. In a sockshell script (`scriptRules`) a message ends with
  /// status 1, as `or die` on a line of the script does.
  indirect case exit(Expr?, scriptRules: Bool, column: Int)

  /// The variable this expression names, when it is a plain `$variable`.
  public var variableName: String? {
    if case .variable(let name, _) = self { return name }
    return nil
  }
}

public enum UnaryOperator: Sendable, Equatable {
  case negate, plus, not, bitNot
  /// `@`: the operand's warnings are not shown.
  case silence
}

public enum LogicalOperator: Sendable, Equatable {
  case and, or, xor, coalesce
}

public enum CastType: Sendable, Equatable {
  case int, float, string, bool, array
}

public enum AssignOperation: Sendable, Equatable {
  case plain
  case coalesce
  case concat
  case arithmetic(BinaryOperator)
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

/// An expression whose value decides where a program goes, with the line it is on.
public struct Condition: Sendable {
  public var expr: Expr
  public var line: Int
}

/// A statement of a PHP program, parsed whole: newlines are blanks, statements end with `;` or
/// a block, and each carries its line for messages. The tree is as deep as the program's blocks
/// nest, which the parser bounds (Parser.maximumDepth), so running it recursively is bounded too.
public indirect enum ProgramStatement: Sendable {
  case simple(Statement, line: Int)
  case block([ProgramStatement])
  /// `if … elseif … else if … else …`: the first branch whose condition holds runs.
  case conditional([(Condition, ProgramStatement)], otherwise: ProgramStatement?)
  case whileLoop(Condition, ProgramStatement)
  case doWhile(ProgramStatement, Condition)
  /// `for (a, b; c, d; e, f)`: every condition is evaluated, the last one decides.
  case forLoop(initial: [Expr], conditions: [Expr], steps: [Expr], line: Int, body: ProgramStatement)
  /// `foreach ($a as $k => $v)`; with `&$v` (`byReference`) each change of $v is written back.
  case foreach(Condition, key: String?, value: String, byReference: Bool, body: ProgramStatement)
  /// `switch (subject) { case …: … }`: the body runs from the first case whose value equals the
  /// subject (`==`), or from `default`, to the end or a `break`.
  case switchOn(Condition, [SwitchCase])
  /// `break N` and `continue N`: N loops out, checked against the loops around when parsed.
  case breakLoops(Int)
  case continueLoops(Int)
  /// `return;` and `return EXPR;`: leaves the function (at the top level, the program).
  case returnValue(Expr?, line: Int)
  /// `global $a, $b;`: inside a function, the names stand for the program's variables.
  case global([String])
  /// Text outside `<?php … ?>`, printed as it is.
  case text([UInt8])
  case empty
}

/// One `case VALUE:` of a switch, or its `default:` (no value), and the statements up to the next.
public struct SwitchCase: Sendable {
  public var label: Expr?
  public var line: Int
  public var body: [ProgramStatement]
}

/// A function a PHP program declares: `function name($a, &$b, $c = 1) { … }`.
public struct UserFunction: Sendable {
  public struct Parameter: Sendable {
    public var name: String
    /// `&$b`: the caller's variable receives the parameter's last value.
    public var byReference: Bool
    /// Evaluated at each call that leaves the parameter out, as PHP does.
    public var defaultValue: Expr?
  }

  /// The name as declared; calls find it without regard to case.
  public var name: String
  public var parameters: [Parameter]
  public var body: [ProgramStatement]
  public var line: Int

  /// How many arguments a call must pass: up to the last parameter without a default (PHP
  /// counts an optional parameter before a required one as required).
  public var requiredCount: Int {
    (parameters.lastIndex { $0.defaultValue == nil }).map { $0 + 1 } ?? 0
  }
}
