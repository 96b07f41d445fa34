/// `export` of a script or a PHP program that has loops, conditions or functions: the program's
/// syntax tree written in C, Python or PHP with the same loops and functions, rather than the
/// calls one run made (ProgramExport, from the journal). What a language cannot say stops the
/// translation with the place and the reason, and the caller falls back to the calls as they ran.
public enum SourceExport {
  /// Why a program could not be written with its structure: the construct and its line.
  public struct Refusal: Error, Sendable {
    public var message: String
    public var line: Int
    public init(_ message: String, line: Int) {
      self.message = message
      self.line = line
    }
  }

  /// The program in `file` (a sockshell script or a PHP file) written in `language`: nil when the
  /// file has no loop, condition or function (the run's calls say all of it), a Refusal when it
  /// has one that the language cannot be given here.
  public static func program(file: [UInt8], language: ExportLanguage) -> Result<ExportedProgram, Refusal>? {
    let tree: ScriptTree
    switch ScriptTree.read(file) {
    case .none: return nil
    case .failure(let refusal): return .failure(refusal)
    case .success(let read): tree = read
    }
    guard tree.isStructured else { return nil }
    do throws(Refusal) {
      let text: String
      switch language {
      case .php:
        var writer = PHPSourceWriter(tree)
        text = try writer.text()
      case .python:
        var writer = PythonSourceWriter(tree)
        text = try writer.text()
      case .c:
        var writer = CSourceWriter(tree)
        text = try writer.text()
      }
      return .success(
        ExportedProgram(text: text, notes: [], calls: tree.socketCalls, language: language.title, structured: true))
    } catch {
      return .failure(error)
    }
  }

  /// The text of a script file, read again for export after it ran; nil when it cannot be read
  /// (a pipe, a file gone, one over 16 MiB).
  public static func source(path: String) -> [UInt8]? {
    try? FileSystem.readScript(path, limit: 16 << 20).get()
  }

  /// The lines that open every such program.
  static func preamble(_ language: ExportLanguage) -> [String] {
    var lines = [
      "Written by sockshell's `export \(language.rawValue)` from a script: its statements, loops and",
      "functions as \(language.title) says them, each socket call the one the script makes.",
    ]
    switch language {
    case .c:
      lines.append("Build: cc -Wall -Wextra -Werror -std=c11 -o program program.c")
      lines.append("A call that fails returns -1 and sets errno: the program says why (perror) and goes on")
      lines.append("with that value, as the script did; a string that a read did not fill has the length -1.")
    case .python:
      lines.append("Run: python3 program.py")
      lines.append("A call that fails raises OSError: attempt() says why and gives False, and the program goes")
      lines.append("on with it, as the script did. Strings are bytes, as on the wire; arrays are dicts.")
    case .php:
      lines.append("Run: php program.php")
      lines.append("A call that fails returns false and PHP warns; socket_last_error() says why.")
    }
    return lines
  }
}

/// A program read whole for export: a PHP file parsed as PHP reads it, a sockshell script as the
/// shell reads its lines (command form, a statement per line).
struct ScriptTree {
  var statements: [ProgramStatement]
  /// In the order they are declared.
  var functions: [UserFunction]
  var isPHP: Bool

  static let commands = CommandTable.standard

  /// nil when the file holds nothing but statements in a row (no structure to keep).
  static func read(_ file: [UInt8]) -> Result<ScriptTree, SourceExport.Refusal>? {
    if let parsed = PHPProgram.parse(file: file, commands: commands) {
      switch parsed {
      case .failure(let error): return .failure(SourceExport.Refusal(error.message, line: error.line))
      case .success(let program):
        return .success(
          ScriptTree(
            statements: program.statements, functions: program.functions.values.sorted { $0.line < $1.line },
            isPHP: true))
      }
    }
    do {
      let parsed = try Parser.parseShellStatements(
        code: file[...], firstLine: 1, functions: [:], commands: commands)
      return .success(
        ScriptTree(
          statements: parsed.statements, functions: parsed.functions.values.sorted { $0.line < $1.line },
          isPHP: false))
    } catch {
      var line = 1
      for byte in file.prefix(max(0, error.column - 1)) where byte == 10 { line += 1 }
      return .failure(SourceExport.Refusal(error.message, line: line))
    }
  }

  /// A loop, a condition, a switch or a function anywhere.
  var isStructured: Bool {
    !functions.isEmpty || statements.contains { statement in
      switch statement {
      case .simple, .empty, .text: false
      case .block(let inner): inner.contains { if case .simple = $0 { false } else { true } }
      default: true
      }
    }
  }

  /// How many calls of socket commands the text holds (a loop's counts once).
  var socketCalls: Int {
    var count = 0
    func visit(_ expr: Expr) {
      SourceSyntax.forEachCall(in: expr) { name, _ in
        if let spec = ScriptTree.commands.lookup(name), spec.isSocketCall { count += 1 }
      }
    }
    SourceSyntax.forEachExpression(in: statements + functions.flatMap(\.body), visit)
    return count
  }
}

extension CommandSpec {
  /// A command that makes a system call on a socket (its family is one of the socket families).
  var isSocketCall: Bool {
    [.lifecycle, .data, .multiplexing, .options, .iovecs].contains(family)
  }
}

/// Walks over a syntax tree that the writers share.
enum SourceSyntax {
  /// Each expression of the statements, outermost first, nested statements included.
  static func forEachExpression(in statements: [ProgramStatement], _ body: (Expr) -> Void) {
    for statement in statements {
      switch statement {
      case .simple(let simple, _):
        switch simple.kind {
        case .expression(let expr), .assign(_, let expr, _), .destructure(_, let expr): body(expr)
        case .echo(let items): items.forEach(body)
        }
        if case .some(.some(let message)) = simple.orDie { body(message) }
      case .block(let inner): forEachExpression(in: inner, body)
      case .conditional(let branches, let otherwise):
        for (condition, branch) in branches {
          body(condition.expr)
          forEachExpression(in: [branch], body)
        }
        if let otherwise { forEachExpression(in: [otherwise], body) }
      case .whileLoop(let condition, let inner), .doWhile(let inner, let condition):
        body(condition.expr)
        forEachExpression(in: [inner], body)
      case .forLoop(let initial, let conditions, let steps, _, let inner):
        (initial + conditions + steps).forEach(body)
        forEachExpression(in: [inner], body)
      case .foreach(let condition, _, _, _, let inner):
        body(condition.expr)
        forEachExpression(in: [inner], body)
      case .switchOn(let condition, let cases):
        body(condition.expr)
        for item in cases {
          if let label = item.label { body(label) }
          forEachExpression(in: item.body, body)
        }
      case .returnValue(let value, _): if let value { body(value) }
      case .breakLoops, .continueLoops, .global, .text, .empty: break
      }
    }
  }

  /// Each call in an expression, by its name as written, with its arguments.
  static func forEachCall(in expr: Expr, _ body: (String, [Expr]) -> Void) {
    var stack = [expr]
    while let next = stack.popLast() {
      switch next {
      case .call(let name, let arguments, _):
        body(name, arguments)
        stack += arguments
      case .literal, .variable, .constant, .word: break
      case .arrayLiteral(let keys, let values): stack += keys.compactMap { $0 } + values
      case .isset(let items), .unset(let items), .concat(let items), .interpolated(let items), .bitOr(let items):
        stack += items
      case .empty(let inner), .append(let inner, _), .unary(_, let inner, _), .cast(_, let inner, _),
        .increment(let inner, _, _, _), .print(let inner, _):
        stack.append(inner)
      case .index(let base, let key, _): stack += [base, key]
      case .binary(_, let left, let right, _), .logical(_, let left, let right, _),
        .assign(let left, _, let right, _):
        stack += [left, right]
      case .ternary(let test, let middle, let otherwise, _): stack += [test, otherwise] + (middle.map { [$0] } ?? [])
      case .exit(let value, _, _): if let value { stack.append(value) }
      }
    }
  }

  static let fromRefusal =
    "$_from is sockshell's own (the sender recvfrom kept): write PHP's form, "
    + "socket_recvfrom($s, $data, $length, 0, $host, $port), and answer to $host and $port"

  /// The man pages of the socket calls in an expression, once each, in order.
  static func manPages(in expr: Expr) -> [String] {
    var pages: [String] = []
    forEachCall(in: expr) { name, _ in
      if let spec = ScriptTree.commands.lookup(name), spec.isSocketCall, let page = spec.manPage,
        !pages.contains(page)
      {
        pages.append(page)
      }
    }
    return pages
  }

  /// An integer literal: an exit status, where anything else is a message.
  static func isInteger(_ expr: Expr) -> Bool {
    if case .literal(.int) = expr { return true }
    return false
  }

  /// Whether a flags argument names a flag (`MSG_TRUNC`, `trunc`, `MSG_PEEK|MSG_TRUNC`).
  static func mentions(_ flags: Expr, _ flag: String) -> Bool {
    switch flags {
    case .constant(let name, _), .word(let name): return name.uppercased().contains(flag)
    case .bitOr(let items): return items.contains { mentions($0, flag) }
    default: return false
    }
  }

  /// A float as the languages write one: always with a point or an exponent.
  static func float(_ number: Double) -> String {
    guard number.isFinite else { return number.isNaN ? "NAN" : (number < 0 ? "-INF" : "INF") }
    let text = "\(number)"
    return text.contains(".") || text.contains("e") ? text : text + ".0"
  }

  /// A bare word or constant's name as written: `AF_INET`, `inet`, `wr`.
  static func word(_ expr: Expr) -> String? {
    switch expr {
    case .word(let word): word
    case .constant(let name, _): name
    case .literal(.bytes(let bytes)): String(decoding: bytes, as: UTF8.self)
    default: nil
    }
  }

  /// The constant a domain, type or protocol argument stands for: `inet` is AF_INET.
  static func socketConstant(_ expr: Expr, kind: String) -> String? {
    guard let word = word(expr) else { return nil }
    let lower = word.lowercased()
    let table: [String: String]
    switch kind {
    case "domain":
      table = [
        "inet": "AF_INET", "ipv4": "AF_INET", "4": "AF_INET", "inet6": "AF_INET6", "ipv6": "AF_INET6",
        "6": "AF_INET6", "unix": "AF_UNIX", "local": "AF_UNIX",
      ]
    case "type":
      table = [
        "stream": "SOCK_STREAM", "tcp": "SOCK_STREAM", "dgram": "SOCK_DGRAM", "datagram": "SOCK_DGRAM",
        "udp": "SOCK_DGRAM", "seqpacket": "SOCK_SEQPACKET", "raw": "SOCK_RAW",
      ]
    case "level", "option":
      table = [:]
    default:
      table = ["ip": "0", "default": "0", "tcp": "IPPROTO_TCP", "udp": "IPPROTO_UDP", "icmp": "IPPROTO_ICMP"]
    }
    if let name = table[lower] { return name }
    return word == word.uppercased() ? word : nil
  }

  /// `wr`, `1`, `SHUT_WR` as the SHUT_ constant's name; nil for anything else.
  static func shutdownHow(_ expr: Expr?) -> String? {
    guard let expr else { return "SHUT_RDWR" }
    if case .literal(.int(let number)) = expr { return [0: "SHUT_RD", 1: "SHUT_WR", 2: "SHUT_RDWR"][number] }
    guard let word = word(expr)?.lowercased() else { return nil }
    switch word {
    case "rd", "read", "shut_rd": return "SHUT_RD"
    case "wr", "write", "shut_wr": return "SHUT_WR"
    case "rdwr", "both", "shut_rdwr": return "SHUT_RDWR"
    default: return nil
    }
  }
}

/// Lines of a program being written, indented by the blocks around them.
struct SourceLines {
  var lines: [String] = []
  var depth = 0
  let unit: String

  init(unit: String = "    ") { self.unit = unit }

  mutating func add(_ line: String) {
    lines.append(line.isEmpty ? "" : String(repeating: unit, count: depth) + line)
  }
}
